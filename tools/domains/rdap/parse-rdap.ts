/**
 * Reading an RDAP domain object (RFC 9083): the sponsoring registrar (the entity with the role
 * `registrar`, its vCard `fn`) and the `registration` and `expiration` events. Registries differ in
 * what they include, so every field is optional.
 */
export interface RdapDomainFacts {
  registrar?: string;
  /** ISO dates as the registry gave them. */
  registeredAt?: string;
  expiresAt?: string;
}

interface RdapEntity {
  roles?: unknown;
  vcardArray?: unknown;
  publicIds?: unknown;
  entities?: unknown;
}

export function parseRdapDomain(body: unknown): RdapDomainFacts {
  if (!body || typeof body !== 'object') return {};
  const object = body as { entities?: unknown; events?: unknown };
  const facts: RdapDomainFacts = {};
  const registrar = findRegistrar(object.entities);
  if (registrar) facts.registrar = registrar;
  for (const event of Array.isArray(object.events) ? object.events : []) {
    const { eventAction, eventDate } = (event ?? {}) as { eventAction?: unknown; eventDate?: unknown };
    if (typeof eventDate !== 'string' || Number.isNaN(Date.parse(eventDate))) continue;
    if (eventAction === 'registration') facts.registeredAt = eventDate;
    if (eventAction === 'expiration') facts.expiresAt = eventDate;
  }
  return facts;
}

function findRegistrar(entities: unknown): string | undefined {
  if (!Array.isArray(entities)) return undefined;
  for (const entity of entities as RdapEntity[]) {
    if (Array.isArray(entity?.roles) && entity.roles.includes('registrar')) {
      const name = vcardName(entity.vcardArray) ?? publicId(entity.publicIds);
      if (name) return name;
    }
    const nested = findRegistrar(entity?.entities);
    if (nested) return nested;
  }
  return undefined;
}

/** `["vcard", [["version",{},"text","4.0"], ["fn",{},"text","Example Registrar, Inc."], …]]` → the fn. */
function vcardName(vcard: unknown): string | undefined {
  if (!Array.isArray(vcard) || !Array.isArray(vcard[1])) return undefined;
  for (const property of vcard[1] as unknown[]) {
    if (Array.isArray(property) && property[0] === 'fn' && typeof property[3] === 'string' && property[3].trim()) return property[3].trim();
  }
  return undefined;
}

/** Thin registries sometimes give only the IANA registrar id. */
function publicId(ids: unknown): string | undefined {
  if (!Array.isArray(ids)) return undefined;
  const id = ids.find((i) => i && typeof i === 'object' && typeof (i as { identifier?: unknown }).identifier === 'string') as { identifier: string } | undefined;
  return id ? `registrar #${id.identifier}` : undefined;
}
