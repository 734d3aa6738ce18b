/**
 * The YAML subset that ParallelWaveGAN / TensorFlowTTS config.yml files use: nested maps by
 * indentation, `key: scalar` (numbers, true/false, null, quoted or bare strings), inline lists
 * `[4, 4, 4, 4]`, block lists of scalars (`- item`) and `#` comments. Anything else is an error
 * naming the line.
 */
import { WaveGpuError } from '../../runtime/errors.js';

export type YamlValue = string | number | boolean | null | YamlValue[] | { [k: string]: YamlValue };

function scalar(s: string): YamlValue {
  const t = s.trim();
  if (t === '' || t === '~' || t === 'null' || t === 'None') return null;
  if (t === 'true' || t === 'True') return true;
  if (t === 'false' || t === 'False') return false;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  if (t.startsWith('[') && t.endsWith(']')) return t.slice(1, -1).trim() === '' ? [] : t.slice(1, -1).split(',').map(scalar);
  return t;
}

function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

export function parseYaml(text: string, file = 'config.yml'): { [k: string]: YamlValue } {
  const root: { [k: string]: YamlValue } = {};
  const stack: { indent: number; node: { [k: string]: YamlValue } }[] = [{ indent: -1, node: root }];
  let pendingList: { indent: number; list: YamlValue[] } | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = stripComment(lines[i]);
    if (!raw.trim() || raw.trim() === '---') continue;
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body.startsWith('- ') || body === '-') {
      if (!pendingList || indent < pendingList.indent) throw new WaveGpuError('yaml', `${file}:${i + 1}: list item outside a list`);
      pendingList.list.push(scalar(body.slice(1)));
      continue;
    }
    pendingList = null;
    const m = /^([^:]+):(\s+(.*))?$/.exec(body);
    if (!m) throw new WaveGpuError('yaml', `${file}:${i + 1}: expected 'key: value', got ${JSON.stringify(body.slice(0, 60))}`);
    while (stack.length > 1 && indent <= stack[stack.length - 1].indent) stack.pop();
    const node = stack[stack.length - 1].node, key = m[1].trim(), rest = (m[3] ?? '').trim();
    if (rest) { node[key] = scalar(rest); continue; }
    // An empty value opens a nested map or a block list (decided by the next line).
    const next = lines.slice(i + 1).map(stripComment).find((l) => l.trim());
    if (next && next.trim().startsWith('-')) {
      const list: YamlValue[] = [];
      node[key] = list;
      pendingList = { indent: next.length - next.trimStart().length, list };
    } else {
      const child: { [k: string]: YamlValue } = {};
      node[key] = child;
      stack.push({ indent, node: child });
    }
  }
  return root;
}
