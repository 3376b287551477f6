import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test/support/run-main.ts';

const ACME = fileURLToPath(new URL('../../fixtures/acme/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'mg-owners-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("modelgate owners, and validate's codeowners-stale", () => {
  // A repository with the config in config/ and a CODEOWNERS of its own.
  const repo = join(tmp, 'repo');
  const config = join(repo, 'config');
  mkdirSync(join(repo, '.git'), { recursive: true });
  cpSync(ACME, config, { recursive: true });
  writeFileSync(join(repo, 'CODEOWNERS'), '* @acme/platform-leads\n');

  it('writes a section for every config file from its labels, after what CODEOWNERS held', async () => {
    const { code } = await runMain('owners', config, '--team-group', 'acme/teams/{team}', '--approvals', '2');
    expect(code).toBe(0);
    const text = readFileSync(join(repo, 'CODEOWNERS'), 'utf8');
    expect(
      text.startsWith(
        "* @acme/platform-leads\n\n# BEGIN modelgate owners: made by `modelgate owners --approvals 2 --team-group 'acme/teams/{team}'`",
      ),
    ).toBe(true);
    expect(text).toContain('\n[modelgate][2]\n');
    expect(text).toContain('\n/config/access/search.yaml @acme/teams/search @priya.nair\n');
    expect(text).toContain('\n/config/routes/chat-premium.yaml @acme/teams/platform @dana.kim\n');
    expect((await runMain('owners', config, '--team-group', 'acme/teams/{team}', '--approvals', '2')).stderr).toContain(
      'already up to date',
    );
  });

  it('validate is clean while the section matches, and reports codeowners-stale at the repository root when a label changes', async () => {
    expect((await runMain('validate', config)).code).toBe(0);
    const access = join(config, 'access/search.yaml');
    writeFileSync(access, readFileSync(access, 'utf8').replace('owner: priya.nair', 'owner: sam.lee'));
    const stale = await runMain('validate', config, '--format', 'codequality');
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout)).toEqual([
      expect.objectContaining({ check_name: 'codeowners-stale', severity: 'major', location: { path: 'CODEOWNERS', lines: { begin: 3 } } }),
    ]);
    expect(JSON.parse(stale.stdout)[0].description).toContain('`/config/access/search.yaml @acme/teams/search @sam.lee`');
    // Made again with the options the section records.
    expect((await runMain('owners', config, '--team-group', 'acme/teams/{team}', '--approvals', '2')).code).toBe(0);
    expect((await runMain('validate', config)).code).toBe(0);
  });

  it('refuses a team group without {team}', async () => {
    const { code, stderr } = await runMain('owners', config, '--team-group', 'acme/platform');
    expect(code).toBe(2);
    expect(stderr).toContain("name the team's place with {team}");
  });
});
