/**
 * File lookup inside a rule pack. ANS writes its packs on Windows, where paths are case-insensitive:
 * five references in TestContenuCDA 3.0 differ in case from the files on disk. Like the reference
 * oracle, we fall back to a case-insensitive match, segment by segment, and the compiler notes it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const dirCache = new Map<string, Map<string, string>>();

function listing(dir: string): Map<string, string> | undefined {
  let m = dirCache.get(dir);
  if (m) return m;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return undefined;
  }
  m = new Map();
  for (const n of names) if (!m.has(n.toLowerCase())) m.set(n.toLowerCase(), n);
  dirCache.set(dir, m);
  return m;
}

/** The existing file for `abs`, exactly or case-insensitively; undefined when there is none. */
export function resolvePackFile(abs: string): string | undefined {
  if (fs.existsSync(abs)) return abs;
  const { root } = path.parse(abs);
  let cur = root;
  for (const seg of abs.slice(root.length).split(path.sep).filter(Boolean)) {
    const exact = path.join(cur, seg);
    if (fs.existsSync(exact)) {
      cur = exact;
      continue;
    }
    const hit = listing(cur)?.get(seg.toLowerCase());
    if (!hit) return undefined;
    cur = path.join(cur, hit);
  }
  return cur;
}
