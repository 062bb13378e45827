import { Body, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { LinkRoute, LinkToken, requestContext, responseContext } from '../../http/index.js';
import { Public } from '../../authn/decorators/index.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { LinkResponder } from '../common/link-responder.service.js';
import { SendConfirmationDto } from './confirm.dto.js';
import { ConfirmService } from './confirm.service.js';

@FlowController('confirmable')
@Public()
export class ConfirmController {
  constructor(
    private readonly confirmation: ConfirmService,
    private readonly responder: LinkResponder,
  ) {}

  /** `POST /confirm {email}` → 200 `{ message }`, the same for every address in generic mode; 429 past the limits. */
  @Post('confirm')
  @HttpCode(HttpStatus.OK)
  async resend(@Body() dto: SendConfirmationDto, @Req() request: object) {
    return { message: await this.confirmation.resend(dto, requestContext(request).ip) };
  }

  /** `GET /confirm/:token`: the link of the confirmation mail. */
  @LinkRoute('GET', 'confirm')
  async confirm(@LinkToken() token: string, @Req() request: object, @Res() response: object): Promise<void> {
    await this.responder.respond(requestContext(request), responseContext(response), await this.confirmation.confirm(token), 'confirm');
  }
}
