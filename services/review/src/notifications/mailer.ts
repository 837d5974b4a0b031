import { createTransport } from 'nodemailer';

export interface DigestMail {
  to: string;
  subject: string;
  text: string;
}

/** Where digests go out: nodemailer over SMTP in production, anything in tests. */
export interface Mailer {
  send(mail: DigestMail): Promise<void>;
  close(): void;
}

/** nodemailer over `SMTP_URL` (smtp:// or smtps://, credentials in the URL). */
export function smtpMailer(options: { smtpUrl: string; from: string }): Mailer {
  const transport = createTransport(options.smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close() {
      transport.close();
    },
  };
}
