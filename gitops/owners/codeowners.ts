// The modelgate section of a GitLab CODEOWNERS file: one line per config file, owned by the GitLab group of
// each `team` label in it and by each `owner` label, in a section that needs `approvals` approvals
// (`[modelgate][2]`), so GitLab Premium asks the owners of a file for their approval by itself. The options
// that made the section are written in its first line, so that `validate` can make it again and compare.
// Pure: text in, text out.
import type { Owners } from './required.ts';

export interface SectionOptions {
  /** GitLab group path of a team, `{team}` replaced by the label (`acme/teams/{team}`); teams are not listed without it. */
  teamGroup?: string;
  /** Approvals the section requires (GitLab's `[section][N]`). */
  approvals: number;
}

export interface OwnedFile {
  /** Path from the repository root, with `/` separators. */
  path: string;
  owners: Owners[];
}

const BEGIN = '# BEGIN modelgate owners';
const END = '# END modelgate owners';

export function renderSection(files: readonly OwnedFile[], options: SectionOptions): string {
  const command = [
    'modelgate owners',
    `--approvals ${options.approvals}`,
    ...(options.teamGroup ? [`--team-group '${options.teamGroup}'`] : []),
  ].join(' ');
  const lines = [
    `${BEGIN}: made by \`${command}\` from the team and owner labels. Edit the labels and run it again.`,
    `[modelgate][${options.approvals}]`,
    ...[...files]
      .sort((a, b) => (a.path < b.path ? -1 : 1))
      .map((f) => ({ path: f.path, handles: handles(f.owners, options) }))
      .filter((f) => f.handles.length > 0)
      .map((f) => `/${f.path.replace(/([ #\\])/g, '\\$1')} ${f.handles.join(' ')}`),
    `${END} (GitLab reads what follows it as part of this section until the next [Section] header)`,
  ];
  return `${lines.join('\n')}\n`;
}

function handles(owners: readonly Owners[], options: SectionOptions): string[] {
  const groups = options.teamGroup ? owners.flatMap((o) => (o.team ? [`@${teamGroup(options.teamGroup!, o.team)}`] : [])) : [];
  const people = owners.flatMap((o) => (o.owner ? [`@${o.owner}`] : []));
  return [...new Set([...groups.sort(), ...people.sort()])];
}

export function teamGroup(pattern: string, team: string): string {
  return pattern.replaceAll('{team}', team);
}

export interface FoundSection {
  /** Line index (0-based) of the BEGIN line, and one past the END line. */
  start: number;
  end: number;
  text: string;
  options: SectionOptions;
}

/** The modelgate section of a CODEOWNERS text, with the options its first line names. */
export function findSection(text: string): FoundSection | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(BEGIN));
  if (start === -1) return undefined;
  const endAt = lines.findIndex((l, i) => i > start && l.startsWith(END));
  const end = endAt === -1 ? lines.length : endAt + 1;
  const first = lines[start]!;
  const approvals = Number(/--approvals (\d+)/.exec(first)?.[1] ?? 1);
  const teamGroup = /--team-group '([^']*)'/.exec(first)?.[1];
  return { start, end, text: `${lines.slice(start, end).join('\n')}\n`, options: { approvals, ...(teamGroup ? { teamGroup } : {}) } };
}

/** The CODEOWNERS text with its modelgate section replaced, or the section appended after what is there. */
export function withSection(text: string, section: string): string {
  const found = findSection(text);
  if (!found) return text.trim() === '' ? section : `${text.replace(/\n*$/, '\n\n')}${section}`;
  const lines = text.split('\n');
  const before = lines.slice(0, found.start).join('\n');
  return `${before ? `${before}\n` : ''}${section}${lines.slice(found.end).join('\n')}`;
}
