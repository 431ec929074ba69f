import type { CrmContact, CrmDeal } from '../../store/index.js';

/** "#12 Sarah Connor (Cyberdyne)" */
export function contactLabel(c: CrmContact): string {
  return `#${c.number} ${c.name}${c.companyName ? ` (${c.companyName})` : ''}`;
}

/** `deal #3 "Cyberdyne: a website" (proposal)` */
export function dealLabel(d: CrmDeal): string {
  return `deal #${d.number} "${d.title}" (${d.stage})`;
}
