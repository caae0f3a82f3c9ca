// A node:http request's answer as one value (status, headers, body), for tests that need what fetch cannot do (an
// Expect: 100-continue request held open while the app is signalled).
import http from 'node:http'

export function answer(
  req: http.ClientRequest,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    req.on('error', reject)
    req.on('response', (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
  })
}

/**
 * A POST of the forgot-password form that the app has taken in (its Expect: 100-continue answered) but whose body is
 * not sent yet: the request is running inside the app until `send()`. For tests that stop the app meanwhile.
 */
export async function heldFormPost(base: string) {
  const page = await answer(http.get(`${base}/forgot-password`))
  const cookie = String(page.headers['set-cookie']?.[0] ?? '').split(';')[0]!
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  const body = new URLSearchParams({ _csrf, email: 'someone@example.org' }).toString()
  const post = http.request(`${base}/forgot-password`, {
    method: 'POST',
    headers: {
      cookie,
      expect: '100-continue',
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': body.length,
    },
  })
  const answered = answer(post)
  await new Promise((resolve) => post.once('continue', resolve))
  return { answered, send: () => post.end(body) }
}
