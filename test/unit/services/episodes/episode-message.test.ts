import { expect } from 'chai'
import { demoEpisode } from '../../../../server/services/episodes/demo-episodes'
import {
  buildEpisodeMessage,
  episodeFhirDocument,
  letterText,
  ukDate,
} from '../../../../server/services/episodes/episode-message'
import { validateFhir } from '../../../helpers/fhir'

const NOW = new Date('2026-12-08T10:00:00Z')

describe('the message back to the GP and referrer', () => {
  const discharged = demoEpisode('discharged', NOW)
  const message = buildEpisodeMessage({
    episode: discharged,
    type: 'discharge',
    connections: [
      {
        kind: 'referral',
        service: 'Lunch club',
        organisation: 'Age Well',
        date: '2026-10-20',
        status: 'Attending',
        engaged: 'yes',
        benefited: 'Helped a lot',
      },
      {
        kind: 'signposting',
        service: 'Walking group',
        organisation: 'Parks',
        date: '2026-10-21',
        status: 'Signposted',
        engaged: 'not recorded',
        benefited: null,
      },
    ],
    needLabel: (id) => `need ${id.slice(0, 4)}`,
    sender: { name: 'Lina Worker', team: 'Barnet 1 PCN social prescribing team', email: 'lw@example.org' },
    now: NOW,
  })

  it('writes UK dates', () => {
    expect(ukDate('2026-12-08')).to.equal('8 December 2026')
    expect(ukDate('2026-12-08T10:00:00Z')).to.equal('8 December 2026')
  })

  it('has the PRSB headings, each connection with engagement, the scores with change, the code and the sender', () => {
    const text = letterText(message)
    for (const heading of [
      'Person',
      'Referral to social prescribing service',
      'What matters to me, needs and concerns',
      'Support offered',
      'Outcomes',
      'Codes for the GP record',
      'Sender',
    ])
      expect(text).to.contain(`\n${heading}\n`)
    expect(text).to.contain('Made on 8 December 2026 by Lina Worker, Barnet 1 PCN social prescribing team')
    expect(text).to.contain(
      'Referred to Lunch club (Age Well) on 20 October 2026: Attending; engaged: yes; benefit: Helped a lot',
    )
    expect(text).to.contain('Signposted to Walking group (Parks)')
    expect(text).to.match(/ONS4.*Life satisfaction: 4 at the start, 7 at the end \(change \+3, better\)/)
    expect(text).to.contain('SNOMED CT 871731000000106 Referral to social prescribing service')
    expect(text).to.contain('Goal: Go to a lunch club every week (Met)')
  })

  it('is a FHIR R4 document Bundle that Medplum validates, with a coded Composition first', () => {
    const bundle = episodeFhirDocument(message, 'https://loopwell.example') as {
      type: string
      entry: { fullUrl: string; resource: Record<string, unknown> }[]
    }
    validateFhir(bundle)
    expect(bundle.type).to.equal('document')
    expect(bundle.entry[0]!.resource.resourceType).to.equal('Composition')
    const procedures = bundle.entry.filter((e) => e.resource.resourceType === 'Procedure')
    expect(procedures).to.have.length(1)
    expect(JSON.stringify(procedures[0]!.resource)).to.contain('871731000000106')
    // Every reference inside the document resolves to an entry in it.
    const urls = new Set(bundle.entry.map((e) => e.fullUrl))
    const refs = [...JSON.stringify(bundle).matchAll(/"reference":"([^"]+)"/g)].map((m) => m[1])
    expect(refs.filter((r) => !urls.has(r!))).to.deep.equal([])
  })

  it('fails validation when the document loses what FHIR requires (so the check can fail)', () => {
    const bundle = episodeFhirDocument(message, 'https://loopwell.example') as Record<string, unknown>
    delete bundle.identifier
    expect(() => validateFhir(bundle)).to.throw(/bdl-9/)
  })

  it('at triage says whether the person was taken on, and has no support or outcomes yet', () => {
    const declined = demoEpisode('declined', NOW)
    const m = buildEpisodeMessage({
      episode: declined,
      type: 'triage',
      connections: [],
      needLabel: (id) => id,
      sender: { name: 'Lina Worker', team: 'Team', email: null },
      now: NOW,
    })
    const text = letterText(m)
    expect(text).to.contain('Not taken on: The person declined social prescribing')
    expect(text).to.contain('SNOMED CT 871711000000103 Social prescribing declined')
    expect(text).not.to.contain('Support offered')
    validateFhir(episodeFhirDocument(m, 'https://loopwell.example'))
  })
})
