import { doc, resourcesFrom } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { routeAliasShadowsRoute } from './route-alias-shadows-route.ts';

const route = (name: string, aliases = '[]') => doc('Route', name, `aliases: ${aliases}\ntargets: [{provider: p, model: m}]`);

// Each route in its own file (`file0.yaml`, `file1.yaml`): a finding names the file of the route it shadows.
ruleTester.run(routeAliasShadowsRoute, {
  valid: [
    {
      name: 'aliases that name no other route (its own name is harmless)',
      resources: resourcesFrom(route('chat-premium', '[claude-sonnet-*, chat-premium]'), route('chat-default', '[gpt-4o]')),
    },
  ],
  invalid: [
    {
      name: "an alias equal to another route's name, at the alias, naming that route",
      resources: resourcesFrom(route('chat-premium', '[gpt-5, chat-default]'), route('chat-default')),
      errors: [
        {
          message:
            'Alias `chat-default` of route chat-premium is the name of route chat-default (file1.yaml:5): requests for `chat-default` go to that route, never through this alias.',
          file: 'file0.yaml',
          line: 8,
          column: 20,
          path: 'spec.aliases[1]',
        },
      ],
    },
    {
      name: "a pattern matching another route's name",
      resources: resourcesFrom(route('chat-default'), route('legacy', '["chat-*"]')),
      errors: [
        {
          message:
            'Alias `chat-*` of route legacy matches the name of route chat-default (file0.yaml:5): requests for `chat-default` go to that route, never through this alias.',
          file: 'file1.yaml',
          line: 8,
          column: 13,
          path: 'spec.aliases[0]',
        },
      ],
    },
  ],
});
