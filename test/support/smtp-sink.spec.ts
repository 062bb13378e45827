import { createTransport } from 'nodemailer';
import { extractLink, extractToken, startSmtpSink, type SmtpSink } from './smtp-sink.js';

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());
beforeEach(() => sink.clear());

const send = (message: Parameters<ReturnType<typeof createTransport>['sendMail']>[0]) =>
  createTransport(sink.url).sendMail({ from: 'App <app@example.com>', ...message });

describe('smtp sink', () => {
  it('parses quoted-printable and base64 parts and encoded-word subjects', async () => {
    const text = `Grüße, ${'a long line that quoted-printable has to wrap with soft breaks '.repeat(3)}= end\nhttps://app.test/auth/reset/abc.def-ghi?x=1&y=2`;
    await send({
      to: 'a@example.com',
      subject: 'Ünïcødé subject ✓',
      text,
      html: '<p>Grüße &amp; <b>bold</b></p>',
      textEncoding: 'quoted-printable',
    });
    await send({ to: 'b@example.com', subject: 'base64', text, html: '<p>é</p>', textEncoding: 'base64' });

    const qp = await sink.waitFor((m) => m.to.includes('a@example.com'));
    expect(qp.raw).toMatch(/quoted-printable/i);
    expect(qp.subject).toBe('Ünïcødé subject ✓');
    expect(qp.text).toBe(text);
    expect(qp.html).toBe('<p>Grüße &amp; <b>bold</b></p>');
    expect(qp.headers.from).toBe('App <app@example.com>');
    expect(qp.envelopeFrom).toBe('app@example.com');

    const b64 = await sink.waitFor((m) => m.to.includes('b@example.com'));
    expect(b64.raw).toMatch(/Content-Transfer-Encoding: base64/i);
    expect(b64.text).toBe(text);
    expect(b64.html).toBe('<p>é</p>');
    expect(extractLink(b64, '/auth/reset/')).toBe('https://app.test/auth/reset/abc.def-ghi?x=1&y=2');
    expect(extractToken(b64, '/auth/reset/')).toBe('abc.def-ghi');
  });

  it('finds the text and HTML parts beside attachments', async () => {
    await send({
      to: 'c@example.com',
      subject: 'with attachment',
      text: 'plain',
      html: '<p>html</p>',
      attachments: [{ filename: 'a.txt', content: 'attached text' }],
    });
    const mail = await sink.waitFor((m) => m.to.includes('c@example.com'));
    expect(mail.raw).toMatch(/multipart\/mixed/);
    expect(mail.text).toBe('plain');
    expect(mail.html).toBe('<p>html</p>');
  });

  it('waits for mail still to come, and times out with what it did receive', async () => {
    const waiting = sink.waitFor((m) => m.subject === 'later');
    await send({ to: 'd@example.com', subject: 'other', text: 'x' });
    await send({ to: 'd@example.com', subject: 'later', text: 'y' });
    expect((await waiting).text).toBe('y');
    await expect(sink.waitFor((m) => m.subject === 'never', 200)).rejects.toThrow(
      /no matching mail within 200 ms \(received: d@example.com: other; d@example.com: later\)/,
    );
  });

  it('refuses the next mails on request', async () => {
    sink.rejectNext(1);
    await expect(send({ to: 'e@example.com', subject: 'refused', text: 'x' })).rejects.toMatchObject({ responseCode: 451 });
    await send({ to: 'e@example.com', subject: 'accepted', text: 'x' });
    expect(sink.messages.map((m) => m.subject)).toEqual(['accepted']);
  });

  it('throws a helpful error when the link is missing', async () => {
    await send({ to: 'f@example.com', subject: 'no link', text: 'nothing here' });
    expect(() => extractLink(sink.messages[0]!, '/auth/confirm/')).toThrow(/no link containing "\/auth\/confirm\/" in mail "no link"/);
  });
});
