// The layering, checked by `npm run lint:deps`. Each layer may import only the layers before it in LAYERS;
// the folder READMEs state the same rule in one line each.
const LAYERS = ['schema', 'kernel', 'compiler', 'policies', 'gateway', 'targets', 'reports', 'pipeline', 'gitops', 'lsp', 'cli', 'bin'];

/** Production code: not a test, not test support, not a benchmark or a developer script. */
const PRODUCTION = `^(${LAYERS.join('|')})/(?!.*\\.test\\.ts$)`;

const upward = LAYERS.map((layer, i) => ({
  name: `layer-${layer}`,
  comment: `${layer}/ may import only ${LAYERS.slice(0, i).join(', ') || 'nothing of ours'}`,
  severity: 'error',
  from: { path: `^${layer}/`, pathNot: '\\.test\\.ts$' },
  to: { path: `^(${LAYERS.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...upward.filter((rule) => rule.to.path !== '^()/'),
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-support-in-production',
      comment: 'test/, bench/ and scripts/ are for tests and developers; production code never imports them',
      severity: 'error',
      from: { path: PRODUCTION },
      to: { path: '(^(test|bench|scripts|fixtures)/)|\\.test\\.ts$' },
    },
    {
      name: 'targets-read-only-the-ir',
      comment: 'a target is a function of the IR: from the compiler it may import compiler/ir only',
      severity: 'error',
      from: { path: '^targets/' },
      to: { path: '^compiler/(?!ir/)' },
    },
    {
      name: 'gateway-self-contained',
      comment:
        'the gateway is bundled alone into one file: it imports itself, a few pure kernel modules, the IR and schema types (modules of types only, erased by the bundler) and its declared libraries',
      severity: 'error',
      from: { path: '^gateway/', pathNot: '\\.test\\.ts$' },
      to: {
        pathNot: [
          '^gateway/',
          '^kernel/(ascii-set|safe-regex|secret-env|model-glob|name-glob|ranking-price|leading-run|redaction|secrets|guardrail-checks|subjects|grants)\\.ts$',
          '^(compiler/ir|schema)/types\\.ts$',
          '^node_modules/(jose|ioredis|prom-client|handlebars|ajv|ajv-formats|@eslint-community/regexpp|@smithy/[^/]+|@opentelemetry/[^/]+)/',
        ],
        dependencyTypesNot: ['core'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|out)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
