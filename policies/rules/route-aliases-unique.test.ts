import { doc, resourcesFrom } from '../../test/support/policy-resources.ts';
import { ruleTester, type ExpectedError } from '../../test/support/rule-tester.ts';
import { routeAliasesUnique } from './route-aliases-unique.ts';

const route = (name: string, aliases: string) => doc('Route', name, `aliases: ${aliases}\ntargets: [{provider: p, model: m}]`);

/** A finding at the first alias of a route, which each route's file holds on line 8. */
const at = (file: string, message: string): ExpectedError => ({ message, file, line: 8, column: 13, path: 'spec.aliases[0]' });

// Each route in its own file (`file0.yaml`, `file1.yaml`, ...), on line 8: a finding names the file of the other route.
ruleTester.run(routeAliasesUnique, {
  valid: [
    {
      name: 'aliases no other route claims, and overlaps within one route',
      resources: resourcesFrom(
        route('premium', '[claude-sonnet-*, claude-sonnet-4-5, claude-opus-*]'),
        route('fast', '["claude-haiku-*", gpt-4o-mini]'),
        route('default', '[gpt-4o, "gpt-4o-2024-*", gpt-5-codex]'),
      ),
    },
  ],
  invalid: [
    {
      name: 'an exact id two routes claim, at both, each naming the other',
      resources: resourcesFrom(route('premium', '[gpt-5, claude-opus-4-1]'), route('fast', '[gpt-5]')),
      errors: [
        at('file0.yaml', 'Alias `gpt-5` of route premium is also an alias of route fast (file1.yaml:8).'),
        at('file1.yaml', 'Alias `gpt-5` of route fast is also an alias of route premium (file0.yaml:8).'),
      ],
    },
    {
      name: "an exact id another route's pattern matches, at both",
      resources: resourcesFrom(route('premium', '[claude-sonnet-*]'), route('fast', '[gpt-4o, claude-sonnet-4-5]')),
      errors: [
        {
          message: 'Alias `claude-sonnet-4-5` of route fast is matched by alias `claude-sonnet-*` of route premium (file0.yaml:8).',
          file: 'file1.yaml',
          line: 8,
          column: 21,
          path: 'spec.aliases[1]',
        },
        at('file0.yaml', 'Alias `claude-sonnet-*` of route premium matches alias `claude-sonnet-4-5` of route fast (file1.yaml:8).'),
      ],
    },
    {
      name: 'two patterns that can match one id, quoting the shortest such id',
      resources: resourcesFrom(route('premium', '[claude-sonnet-*]'), route('fast', '["claude-*-4-5*", claude-opus-*]')),
      errors: [
        at(
          'file0.yaml',
          'Alias `claude-sonnet-*` of route premium and alias `claude-*-4-5*` of route fast (file1.yaml:8) both match `claude-sonnet-4-5`.',
        ),
        at(
          'file1.yaml',
          'Alias `claude-*-4-5*` of route fast and alias `claude-sonnet-*` of route premium (file0.yaml:8) both match `claude-sonnet-4-5`.',
        ),
      ],
    },
    {
      name: 'patterns with the same literal prefix compared once, and a catch-all with everything',
      resources: resourcesFrom(route('a', '["gpt-4?"]'), route('b', '["gpt-4*"]'), route('c', '["*"]')),
      errors: [
        at('file0.yaml', 'Alias `gpt-4?` of route a and alias `*` of route c (file2.yaml:8) both match `gpt-4x`.'),
        at('file2.yaml', 'Alias `*` of route c and alias `gpt-4?` of route a (file0.yaml:8) both match `gpt-4x`.'),
        at('file1.yaml', 'Alias `gpt-4*` of route b and alias `*` of route c (file2.yaml:8) both match `gpt-4`.'),
        at('file2.yaml', 'Alias `*` of route c and alias `gpt-4*` of route b (file1.yaml:8) both match `gpt-4`.'),
        at('file1.yaml', 'Alias `gpt-4*` of route b and alias `gpt-4?` of route a (file0.yaml:8) both match `gpt-4x`.'),
        at('file0.yaml', 'Alias `gpt-4?` of route a and alias `gpt-4*` of route b (file1.yaml:8) both match `gpt-4x`.'),
      ],
    },
  ],
});
