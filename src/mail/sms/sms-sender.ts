/**
 * Where SMS codes go: implement `send` with Twilio or any provider and pass
 * the class or an instance as the `smsSender` option. Also the injection
 * token. `to` is the number the user gave at setup, as typed (E.164 is
 * recommended); `message` is the whole text, code included.
 */
export abstract class SmsSender {
  abstract send(to: string, message: string): Promise<void>;
}
