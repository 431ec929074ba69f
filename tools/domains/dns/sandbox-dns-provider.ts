import type { SandboxDnsRecord, SandboxDnsRepo, SandboxDnsZone } from '../../../store/index.js';
import { DomainProviderError } from '../domain-errors.js';
import type { DnsProvider, DnsRecord, DnsRecordType, DnsZone, NewDnsRecord } from '../ports.js';

/**
 * The `sandbox` DNS provider: zones and records kept in the durable store (migration 9), any zone
 * hosted on first use, nothing sent anywhere. Its zones are served for real by the sandbox name server
 * (sandbox-name-server.ts), whose address (`127.0.0.1:<port>`) is every zone's name server, so a
 * watcher that queries a zone's authoritative servers sees exactly what the chat changed.
 */
export class SandboxDnsProvider implements DnsProvider {
  readonly name = 'sandbox';
  readonly label = 'the SANDBOX DNS';

  constructor(
    private readonly repo: SandboxDnsRepo,
    /** Where the sandbox name server listens now (`127.0.0.1:5354`), when it runs in this process. */
    private readonly nameServers: () => string[] = () => [],
  ) {}

  async findZone(domain: string): Promise<DnsZone | undefined> {
    const zone = await this.repo.findZone(domain);
    return zone && this.toZone(zone);
  }

  async createZone(domain: string): Promise<DnsZone> {
    return this.toZone(await this.repo.ensureZone(domain));
  }

  async listRecords(zoneId: string, filter: { type?: DnsRecordType; name?: string } = {}): Promise<DnsRecord[]> {
    await this.zone(zoneId);
    return (await this.repo.listRecords(zoneId, filter)).map(toRecord);
  }

  async createRecord(zoneId: string, record: NewDnsRecord): Promise<DnsRecord> {
    await this.zone(zoneId);
    return toRecord(await this.repo.createRecord(zoneId, { ...record, priority: record.priority ?? null }));
  }

  async updateRecord(zoneId: string, id: string, record: NewDnsRecord): Promise<DnsRecord> {
    await this.zone(zoneId);
    const updated = await this.repo.updateRecord(zoneId, id, { ...record, priority: record.priority ?? null });
    if (!updated) throw new DomainProviderError('not_found', 'That record is no longer in the SANDBOX zone: someone deleted it.', false, { status: 404 });
    return toRecord(updated);
  }

  async deleteRecord(zoneId: string, id: string): Promise<void> {
    await this.zone(zoneId);
    if (!(await this.repo.deleteRecord(zoneId, id))) {
      throw new DomainProviderError('not_found', 'That record is no longer in the SANDBOX zone: someone deleted it.', false, { status: 404 });
    }
  }

  private async zone(zoneId: string): Promise<SandboxDnsZone> {
    const zone = await this.repo.zoneById(zoneId);
    if (!zone) throw new DomainProviderError('not_found', 'That SANDBOX zone does not exist.', false, { status: 404 });
    return zone;
  }

  private toZone(zone: SandboxDnsZone): DnsZone {
    return { id: zone.id, name: zone.name, nameServers: this.nameServers() };
  }
}

function toRecord(record: SandboxDnsRecord): DnsRecord {
  return {
    id: record.id,
    type: record.type as DnsRecordType,
    name: record.name,
    content: record.content,
    ttl: record.ttl,
    ...(record.priority === null ? {} : { priority: record.priority }),
  };
}
