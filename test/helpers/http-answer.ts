// A node:http request's answer as one value (status, headers, body), for tests that need what fetch cannot do (an
// Expect: 100-continue request held open while the app is signalled).
import type http from 'node:http'

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
