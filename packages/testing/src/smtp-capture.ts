import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  /** Envelope recipients. */
  to: string[];
  /** The message as received (headers and body, still transfer-encoded). */
  raw: string;
}

export interface SmtpCapture {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL or nodemailer. */
  url: string;
  /** Every message received, in order; tests may empty it. */
  mails: CapturedMail[];
  close(): Promise<void>;
}

/** A real SMTP server (npm smtp-server, no auth, no TLS) on a free local port that keeps what it receives. */
export function startSmtpCapture(): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = (server.server as unknown as { address(): AddressInfo }).address();
      resolve({ url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}
