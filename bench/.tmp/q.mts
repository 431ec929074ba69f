import { OfflineUnderstander } from '../../intents/index.js';
const u = OfflineUnderstander.train();
for (const t of ['who do we know at Globex?', 'who do we know at Initech', 'anyone at Globex?', 'who is our contact at Globex', 'do we have anyone at Acme', 'who we know at Initech', "what's Jane Doe's email", 'find Jane Doe', 'contacts at Globex']) {
  const r = u.understandNow(t, { now: Date.now(), timezone: 'UTC', apps: [] } as any);
  console.log(JSON.stringify(t), r.intent, r.confidence.toFixed(2), JSON.stringify(r.slots));
}
