import { isRecord, type FieldPath } from '../stream/field-path.js';

/** The fields to keep, as a tree: a key's subtree, `[]` for every element, or `true` for the whole value. */
type FieldTree = Map<string, FieldTree | true>;

const EACH = '[]';

/**
 * Builds the reduction that --fields applies: for `channel,data.height,data.outputs[].value`
 * it keeps those fields in that order, nested as in the notification. An `[N]` step is read as
 * `[]`, so callers reject it first.
 */
export function buildFieldTree(paths: readonly FieldPath[]): FieldTree {
  const root: FieldTree = new Map();
  for (const path of paths) {
    let node = root;
    path.steps.forEach((step, i) => {
      const key = step.kind === 'key' ? step.name : EACH;
      const last = i === path.steps.length - 1;
      const existing = node.get(key);
      if (existing === true) {
        return; // an earlier field keeps this whole value already
      }
      if (last) {
        node.set(key, true);
        return;
      }
      const child: FieldTree = existing ?? new Map();
      node.set(key, child);
      node = child;
    });
  }
  return root;
}

/**
 * Reduces `value` to the fields of `tree`; numbers stay LosslessNumber, so their text survives.
 * Returns undefined when none of the fields is present.
 */
export function projectFields(value: unknown, tree: FieldTree): unknown {
  const each = tree.get(EACH);
  if (Array.isArray(value)) {
    if (each === undefined) {
      return undefined;
    }
    return each === true ? value : value.map((element: unknown) => projectFields(element, each) ?? {});
  }
  if (!isRecord(value)) {
    return undefined;
  }

  const kept: Record<string, unknown> = {};
  let any = false;
  for (const [key, subtree] of tree) {
    if (key === EACH || !Object.hasOwn(value, key)) {
      continue;
    }
    const reduced = subtree === true ? value[key] : projectFields(value[key], subtree);
    if (reduced !== undefined) {
      kept[key] = reduced;
      any = true;
    }
  }
  return any ? kept : undefined;
}
