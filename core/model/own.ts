/**
 * Lookups in maps keyed by input (labels, annotations, severity words): own properties
 * only, so a key such as `constructor`, `__proto__` or `toString` finds nothing rather than
 * what every object inherits.
 */

/** `map[key]` if `map` has it as its own property, else undefined. */
export function ownValue<V>(map: Readonly<Record<string, V>> | null | undefined, key: string): V | undefined {
  return map != null && Object.hasOwn(map, key) ? map[key] : undefined;
}
