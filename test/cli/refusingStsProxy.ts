import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An STS endpoint in front of the local AWS that refuses AssumeRole into some accounts, as STS does when a
 * member account has no role the caller may assume (moto assumes any role, and the local AWS's fault rules
 * cannot pick an account). Everything else passes through unchanged. Point one `s3ir` run at it with
 * `AWS_ENDPOINT_URL_STS`: the other tests sharing the local AWS never see it.
 */
export class RefusingStsProxy {
  readonly endpoint: string;
  private readonly server: Server;

  private constructor(server: Server) {
    this.server = server;
    this.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(target: string, refusedAccounts: readonly string[]): Promise<RefusingStsProxy> {
    const upstream = new URL(target);
    const refused = new Set(refusedAccounts);
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const form = new URLSearchParams(body.toString('utf8'));
        const roleArn = form.get('Action') === 'AssumeRole' ? form.get('RoleArn') : null;
        if (roleArn !== null && refused.has(roleArn.split(':')[4] ?? '')) {
          res.writeHead(403, { 'content-type': 'text/xml' });
          res.end(
            '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>' +
              '<Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/test is not authorized ' +
              `to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error>` +
              '<RequestId>refused-by-test</RequestId></ErrorResponse>',
          );
          return;
        }
        const forwarded = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: upstream.host },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forwarded.on('error', (error) => {
          res.writeHead(502);
          res.end(error.message);
        });
        forwarded.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new RefusingStsProxy(server);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
