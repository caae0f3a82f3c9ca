import { expect } from 'chai'
import { createBackgroundWrites } from '../../../server/services/background-writes'

/** A promise the test settles when it chooses, so each interleaving is fixed rather than left to timers. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { opened, open }
}
/** Lets every write that can run do so. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('background writes', () => {
  it('run writes with the same key in the order they were started, and settle when all have ended', async () => {
    const writes = createBackgroundWrites()
    const done: string[] = []
    const a1 = gate()
    const b1 = gate()
    /** Starts a write under `key` that waits for `until` (when given) and then records `name` as done. */
    const write = (name: string, key: string, until?: Promise<void>) =>
      writes.start(async () => {
        await until
        done.push(name)
      }, key)
    write('a1', 'a', a1.opened)
    write('a2', 'a')
    write('b1', 'b', b1.opened)
    await flush()
    expect(done, 'a2 waits for a1').to.deep.equal([])
    b1.open()
    await flush()
    expect(done, 'another key does not wait').to.deep.equal(['b1'])
    let settled = false
    const settling = writes.settled().then(() => (settled = true))
    await flush()
    expect(settled, 'not settled while a1 runs').to.equal(false)
    a1.open()
    await settling
    expect(done).to.deep.equal(['b1', 'a1', 'a2'])
  })

  it('waits for writes started while it is waiting', async () => {
    const writes = createBackgroundWrites()
    const done: string[] = []
    const first = gate()
    const second = gate()
    writes.start(async () => {
      await first.opened
      writes.start(async () => {
        await second.opened
        done.push('second')
      })
      done.push('first')
    })
    let settled = false
    const settling = writes.settled().then(() => (settled = true))
    first.open()
    await flush()
    expect(done).to.deep.equal(['first'])
    expect(settled, 'still waiting for the write started meanwhile').to.equal(false)
    second.open()
    await settling
    expect(done).to.deep.equal(['first', 'second'])
  })
})
