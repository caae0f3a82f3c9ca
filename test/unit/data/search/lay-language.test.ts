import { expect } from 'chai'
import { createCrisisDetector, crisisSchema, readCrisisConfig } from '../../../../server/data/search/crisis'
import { parseQuery } from '../../../../server/data/search/embedded-index'
import { attributeWords, readLayLanguage, synonymMap, tokenize } from '../../../../server/data/search/lay-language'

describe('lay language (server/data/search/lay-language.json)', () => {
  it('reads as the shape the search expects', () => {
    const lay = readLayLanguage()
    expect(lay.stopWords).to.include.members(['im', 'my', 'i', 'the', 'and', 'to', 'for', 'with', 'since'])
    expect(Object.keys(lay.phrases).length).to.be.greaterThan(50)
  })

  it('drops apostrophes so "can\'t" and "cant" are one word', () => {
    expect(tokenize("I can't pay, Men’s Shed")).to.deep.equal(['i', 'cant', 'pay', 'mens', 'shed'])
  })

  it('maps everyday words to the words listings use, through the synonym groups too', () => {
    const map = synonymMap()
    expect(map.skint).to.include.members(['money', 'debt', 'benefits'])
    expect(map['sofa surfing']).to.include('housing')
    expect(map['hits me']).to.include('domestic abuse')
    expect(map.money).not.to.include('skint')
  })

  it('reads a phrase with stop words in it as one thing, and leaves other stop words out', () => {
    const groups = parseQuery('partner hits me and i want to get back to work')
    expect(groups.map((g) => g.alternatives[0]?.words.join(' '))).to.deep.equal(['partner', 'hits', 'back work'])
    expect(groups[1]?.alternatives.map((a) => a.words.join(' '))).to.include('domestic abuse')
    expect(groups.at(-1)?.last).to.equal(true)
  })

  it('gives a listing the words for its languages, accessibility, days and times', () => {
    const words = attributeWords({
      languages: ['en', 'bn'],
      accessibility: ['step_free'],
      days: ['sat'],
      timesOfDay: ['evening'],
      ageMin: null,
      ageMax: null,
    })
    expect(words).to.include.members(['bengali', 'wheelchair', 'saturday', 'weekend', 'evenings'])
    expect(words).not.to.include('english')
    expect(words).not.to.include('older people')
  })

  it('gives a listing the words for who it is for, by its ages', () => {
    const none = { languages: [], accessibility: [], days: [], timesOfDay: [] }
    expect(attributeWords({ ...none, ageMin: 60, ageMax: null })).to.include.members(['older people', 'elderly'])
    expect(attributeWords({ ...none, ageMin: 18, ageMax: null })).to.deep.equal([])
    expect(attributeWords({ ...none, ageMin: 11, ageMax: 18 }))
      .to.include('young people')
      .and.not.include('children')
    expect(attributeWords({ ...none, ageMin: 0, ageMax: 5 }))
      .to.include('children')
      .and.not.include('young people')
  })
})

describe('the crisis safety net (server/data/search/crisis.json)', () => {
  const detector = createCrisisDetector()

  it('reads as the shape the callout expects, with the national lines', () => {
    const text = readCrisisConfig()
      .callout.lines.map((line) => line.text)
      .join(' ')
    for (const line of ['999', '111', 'option 2', '116 123', '85258']) expect(text).to.include(line)
  })

  it('hears words of immediate risk, whole words only', () => {
    for (const words of [
      'feeling suicidal',
      'I want to kill myself',
      'thinking of ending it, end it all',
      'Self harm',
      "I can't go on anymore",
      'i want to end it',
      'no one would miss me',
    ]) {
      expect(detector.detect(words), words).to.deep.equal({ risk: true, abuse: false })
    }
    for (const words of ['crisps', 'knitting group', '', undefined])
      expect(detector.detect(words), words).to.equal(null)
  })

  it('hears them typed with a slip, or with the words split differently', () => {
    for (const words of [
      'feeling sucidal',
      'feeling suicdial',
      'i took an overdoes',
      'i want to kill my self',
      'self-harming again',
    ]) {
      expect(detector.detect(words), words).to.deep.equal({ risk: true, abuse: false })
    }
    expect(detector.detect('he strangeld me')).to.deep.equal({ risk: false, abuse: true })
    // Short words must be exact, so everyday words near a crisis word do not raise the callout.
    for (const words of ['my rent is overdue', 'crisps and dips', 'a crises of confidence']) {
      expect(detector.detect(words), words).to.equal(null)
    }
  })

  it('hears abuse, and adds the domestic abuse helpline for it only', () => {
    expect(detector.detect('my partner hits me')).to.deep.equal({ risk: false, abuse: true })
    expect(detector.detect("I'm not safe at home")).to.deep.equal({ risk: false, abuse: true })
    // Abuse as people describe it without the word: shouting, money kept from them, fear.
    for (const words of ['my husband shouts at me', 'he controls my money', "I'm scared of my husband"]) {
      expect(detector.detect(words), words).to.deep.equal({ risk: false, abuse: true })
    }
    expect(detector.detect('my dad hits my mum')).to.deep.equal({ risk: false, abuse: true })
    // Put out of home is a housing need, not by itself abuse; giving up smoking is not giving up on life.
    for (const words of [
      'my parents kicked me out',
      'help giving up smoking',
      'substance abuse',
      'i never wake up on time',
      'ive taken too many sick days',
      'throw myself into volunteering',
      'dog grooming',
      'forced to work overtime',
    ]) {
      expect(detector.detect(words), words).to.equal(null)
    }
    const abuse = detector.callout({ risk: false, abuse: true })
    expect(abuse.lines.map((l) => l.text).join(' ')).to.include('0808 2000 247')
    expect(
      detector
        .callout(null)
        .lines.map((l) => l.text)
        .join(' '),
    ).not.to.include('0808 2000 247')
  })

  it('searches for crisis or domestic abuse services too, whatever words of risk or abuse were used', () => {
    const risk = detector.detect('better off dead')
    expect(detector.searchText('better off dead', risk)).to.equal('better off dead crisis')
    const abuse = detector.detect('my partner is violent')
    expect(detector.searchText('my partner is violent', abuse)).to.equal('my partner is violent domestic abuse')
    expect(detector.searchText('knitting group', null)).to.equal('knitting group')
  })

  it('adds a deployment’s local lines after the national ones', () => {
    const config = readCrisisConfig()
    config.callout.localLines = [
      { text: 'Barnet crisis line, day or night.', tel: '08000000000', linkText: 'Call 0800 000 0000' },
    ]
    const callout = createCrisisDetector(config).callout(null)
    expect(callout.lines.at(-1)?.linkText).to.equal('Call 0800 000 0000')
    // A number to call needs the words for its link.
    config.callout.localLines = [{ text: 'Barnet crisis line', tel: '08000000000' }]
    expect(() => crisisSchema.parse(config)).to.throw(/needs linkText/)
  })
})
