import { describe, expect, it } from 'vitest';
import { findSection, renderSection, withSection } from './codeowners.ts';

const files = [
  { path: 'config/routes/chat.yaml', owners: [{ team: 'platform', owner: 'dana.kim' }] },
  {
    path: 'config/access/search one.yaml',
    owners: [
      { team: 'search', owner: 'priya.nair' },
      { team: 'platform', owner: 'dana.kim' },
    ],
  },
  { path: 'config/prompts/faq.yaml', owners: [{ owner: 'li.wei' }] },
];

describe('the CODEOWNERS section', () => {
  it("lists each file with its teams' groups and its owners, in a section that needs the approvals asked for", () => {
    const section = renderSection(files, { teamGroup: 'acme/teams/{team}', approvals: 2 });
    expect(section.split('\n').slice(1, -2)).toEqual([
      '[modelgate][2]',
      '/config/access/search\\ one.yaml @acme/teams/platform @acme/teams/search @dana.kim @priya.nair',
      '/config/prompts/faq.yaml @li.wei',
      '/config/routes/chat.yaml @acme/teams/platform @dana.kim',
    ]);
    expect(renderSection(files, { approvals: 1 })).toContain('\n/config/routes/chat.yaml @dana.kim\n');
  });

  it('reads back the options it was made with', () => {
    const section = renderSection(files, { teamGroup: 'acme/{team}', approvals: 3 });
    expect(findSection(`* @everyone\n\n${section}`)).toMatchObject({
      start: 2,
      text: section,
      options: { teamGroup: 'acme/{team}', approvals: 3 },
    });
    expect(findSection('* @everyone\n')).toBeUndefined();
  });

  it('is appended after what the file holds, and replaced in place, keeping the lines around it', () => {
    const first = renderSection(files, { approvals: 1 });
    const appended = withSection('# Ours\n* @platform-leads\n', first);
    expect(appended).toBe(`# Ours\n* @platform-leads\n\n${first}`);
    const later = `${appended}[Docs]\n/docs/ @writers\n`;
    const second = renderSection(files.slice(0, 1), { approvals: 2 });
    expect(withSection(later, second)).toBe(`# Ours\n* @platform-leads\n\n${second}[Docs]\n/docs/ @writers\n`);
    expect(withSection('', first)).toBe(first);
  });
});
