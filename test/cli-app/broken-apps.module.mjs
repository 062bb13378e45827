/** Root modules the CLI must refuse in one line: one that fails to start, one without SecurityModule. */
import { Module } from '@nestjs/common';

export class FailingModule {}
Module({
  providers: [
    {
      provide: 'APP_CONFIG',
      useFactory: () => {
        throw new Error('APP_CONFIG is missing\n  (set it in .env)');
      },
    },
  ],
})(FailingModule);

export class PlainModule {}
Module({})(PlainModule);
