import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { didYouMean } from '../../common/nearest-name.js';
import type { AuthMethod } from '../../security.options.js';
import { AUTH_REQUIRED_KEY } from '../authn.constants.js';
import type { AuthRequirement } from '../decorators/auth-required.decorator.js';

/** "GET items/:id (ItemsController.find)", for a start-up error. */
function describeRoute(controller: Type, handler: Function, name: string): string {
  const verb = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] ?? 'GET';
  const paths = [Reflect.getMetadata(PATH_METADATA, controller), Reflect.getMetadata(PATH_METADATA, handler)]
    .flat()
    .filter((part): part is string => typeof part === 'string' && part !== '' && part !== '/');
  return `${verb} /${paths.map((part) => part.replace(/^\/+|\/+$/g, '')).join('/')} (${controller.name}.${name})`;
}

function unknownNames(methods: readonly AuthMethod[] | undefined, known: readonly string[], where: string): string[] {
  return (methods ?? [])
    .filter((method) => !known.includes(method))
    .map((method) => `${where}: no strategy is registered as "${method}"${didYouMean(method, known)} (known: ${known.join(', ')})`);
}

/**
 * The names in every controller's and route's `@AuthRequired(...)` (and in
 * `defaultAuthMethods`) that no registered strategy has, one problem each.
 * Runs once, at start-up, over the app's controllers.
 */
export function unknownStrategyProblems(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
  known: readonly string[],
  defaults: readonly AuthMethod[],
): string[] {
  const problems = unknownNames(defaults, known, 'option defaultAuthMethods');
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type | undefined;
    if (!controller?.prototype) continue;
    const onController = reflector.get<AuthRequirement | undefined>(AUTH_REQUIRED_KEY, controller);
    problems.push(...unknownNames(onController?.methods, known, `@AuthRequired on ${controller.name}`));
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = controller.prototype[name] as Function;
      const onHandler = reflector.get<AuthRequirement | undefined>(AUTH_REQUIRED_KEY, handler);
      problems.push(...unknownNames(onHandler?.methods, known, `@AuthRequired on ${describeRoute(controller, handler, name)}`));
    }
  }
  return problems;
}
