import { ODataErrors } from './odata.errors.ts';

/** What a $filter clause does with a property; a catalog lists the ones each property supports. */
export type FilterOp = 'eq' | 'ne' | 'not' | 'in' | 'startswith' | 'endswith' | 'ge' | 'le' | 'gt' | 'lt' | 'any' | 'all' | 'count' | 'null';

/**
 * How a property is stored. `enum` is a string column with a closed set of values (compared like a
 * string); collections are JSON arrays: of strings, or of objects whose fields `fields` maps.
 */
export type PropertyType = 'string' | 'guid' | 'boolean' | 'datetime' | 'enum' | 'stringCollection' | 'objectCollection';

/** A field of the objects in an objectCollection: its JSON key and type. */
export interface FieldSpec {
  readonly key: string;
  readonly type: 'string' | 'guid';
}

export interface PropertySpec {
  /** the column in the entity's table */
  readonly column: string;
  readonly type: PropertyType;
  /** objectCollection only: Graph field name -> JSON key and type */
  readonly fields?: Readonly<Record<string, FieldSpec>>;
  /** the $filter operations allowed without (`default`) and only with (`advanced`) advanced query mode; absent: not filterable */
  readonly filter?: { readonly default: readonly FilterOp[]; readonly advanced?: readonly FilterOp[] };
  /** whether $orderby works without (`default`) or only with (`advanced`) advanced query mode; absent: not sortable */
  readonly orderBy?: 'default' | 'advanced';
  /** whether $search may name this property (and a bare `"term"` searches it) */
  readonly search?: boolean;
}

/** The queryable properties of one resource, e.g. `{ resource: 'User', properties: { displayName: {...} } }`. */
export interface EntityCatalog {
  /** the resource name Graph's error messages use: 'User', 'Group' */
  readonly resource: string;
  /** Graph property name -> spec; looked up case-insensitively, as Graph does */
  readonly properties: Readonly<Record<string, PropertySpec>>;
}

/** A catalog entry under its canonical (catalog) name. */
export interface ResolvedProperty {
  readonly name: string;
  readonly spec: PropertySpec;
}

/** Each catalog's properties by lower-cased name (catalogs are constant; a query resolves several names). */
const byLowerName = new WeakMap<EntityCatalog, ReadonlyMap<string, ResolvedProperty>>();

/** Finds a property by name, ignoring case; unknown names get Graph's "does not exist" error. */
export function resolveProperty(catalog: EntityCatalog, name: string): ResolvedProperty {
  let index = byLowerName.get(catalog);
  if (!index) {
    const built = new Map<string, ResolvedProperty>();
    // the first of two names that differ only in case wins, as the scan this replaces did
    for (const [canonical, spec] of Object.entries(catalog.properties)) if (!built.has(canonical.toLowerCase())) built.set(canonical.toLowerCase(), { name: canonical, spec });
    byLowerName.set(catalog, (index = built));
  }
  const found = index.get(name.toLowerCase());
  if (!found) throw ODataErrors.unknownProperty(name);
  return found;
}

/** Finds a field of an objectCollection property by name, ignoring case. */
export function resolveField(property: ResolvedProperty, field: string): FieldSpec {
  const lower = field.toLowerCase();
  for (const [name, spec] of Object.entries(property.spec.fields ?? {})) {
    if (name.toLowerCase() === lower) return spec;
  }
  throw ODataErrors.unknownProperty(`${property.name}/${field}`);
}

export function isCollection(type: PropertyType): type is 'stringCollection' | 'objectCollection' {
  return type === 'stringCollection' || type === 'objectCollection';
}
