import { expect } from 'chai'
import { createBackgroundWrites } from '../../../server/services/background-writes'

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

describe('background writes', () => {
  it('run writes with the same key in the order they were started, and settle when all have ended', async () => {
    const writes = createBackgroundWrites()
    const done: string[] = []
    writes.start(async () => {
      await later(30)
      done.push('a1')
    }, 'a')
    writes.start(async () => {
      done.push('a2')
    }, 'a')
    writes.start(async () => {
      await later(10)
      done.push('b1')
    }, 'b')
    expect(done).to.deep.equal([])
    await writes.settled()
    expect(done).to.deep.equal(['b1', 'a1', 'a2'])
  })

  it('waits for writes started while it is waiting', async () => {
    const writes = createBackgroundWrites()
    const done: string[] = []
    writes.start(async () => {
      await later(5)
      writes.start(async () => {
        await later(5)
        done.push('second')
      })
      done.push('first')
    })
    await writes.settled()
    expect(done).to.deep.equal(['first', 'second'])
  })
})
