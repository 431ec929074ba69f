import type { IntentId, Understander } from '../../../intents/index.js';
import { item, measureSet, type SetFigures, type SetItem } from '../independent-sets/index.js';

/**
 * The domain and DNS evaluation set (issue 11): utterances written for this set, before its author
 * tuned the catalog on it, in the way a busy agency types (shorthand, typos, lower case, voice notes
 * with "dot com" spelled out), plus near misses that belong to other intents. Never copy these lines
 * into the catalog, or the measurement is lost.
 *
 * Annotation, one rule for every line:
 * - `domain`: lower-case ASCII, IDNs in punycode. For check, register, dns.add and dns.delete the
 *   registrable name (the zone; "www.x.com" → "x.com"); for map and verify the host as written.
 *   An e-mail address, or a host inside a record's value, is not the domain.
 * - `recordName`: relative to the zone: "www", "_dmarc", "k1._domainkey", "*" for a wildcard, "@" for
 *   the apex. The apex is annotated when the text says so ("@", "root") and also when the record is
 *   described on the bare registrable name with no other name ("the MX records on x.com", "an A
 *   record for x.com → 1.2.3.4"), which is where such a record lives; never for a CNAME, which
 *   cannot live at the apex.
 * - `recordValue`: an address, a host name (lower case, no trailing dot), TXT content without its
 *   quotes or backticks, MX as "priority host" ("10 mx1.improvmx.com") when the priority is said,
 *   SRV as "priority weight port host", CAA as `flags tag "value"`.
 * - `recordType`: upper case, when said or when the value makes it certain (an IPv4 address is an A).
 * - `years`: only when said.
 */

export const DOMAIN_INTENTS: readonly IntentId[] = ['domain.check', 'domain.register', 'domain.map', 'domain.dns.add', 'domain.dns.delete', 'domain.verify'];
export const DOMAIN_SLOTS = ['domain', 'recordType', 'recordName', 'recordValue', 'years'] as const;
export type DomainSlot = (typeof DOMAIN_SLOTS)[number];

/** The app catalog the map requests were written against. */
export const DOMAIN_SET_APPS = ['harbourfield-site', 'bramble-web', 'tallpines-site', 'client-portal', 'kettle-shop', 'rivet-api', 'moonpath-app'];

export const DOMAIN_SET: readonly SetItem[] = [
  // --- domain.check ---
  item('is harbourfield.co.uk free?', 'domain.check', { domain: 'harbourfield.co.uk' }),
  item('quick one - can we still get brambleandrye.com or has someone nabbed it', 'domain.check', { domain: 'brambleandrye.com' }),
  item('check tallpinesdental.com pls', 'domain.check', { domain: 'tallpinesdental.com' }),
  item('whos got northlightstudio.io registered', 'domain.check', { domain: 'northlightstudio.io' }),
  item('do a whois on quillandink.co', 'domain.check', { domain: 'quillandink.co' }),
  item('availability check for veridian-health.com and tell me the price', 'domain.check', { domain: 'veridian-health.com' }),
  item('is oakwoodlegal.com.au available to buy', 'domain.check', { domain: 'oakwoodlegal.com.au' }),
  item('lumenbakery.de - taken or not?', 'domain.check', { domain: 'lumenbakery.de' }),
  item('when is saltmarshsurf.com up for renewal', 'domain.check', { domain: 'saltmarshsurf.com' }),
  item('the client asked if kettleandcrumb.co.uk is available, can u look', 'domain.check', { domain: 'kettleandcrumb.co.uk' }),
  item('chek if rivetworks.dev is availble', 'domain.check', { domain: 'rivetworks.dev' }),
  item('is there anyone sitting on moonpath.app', 'domain.check', { domain: 'moonpath.app' }),
  item('look up the registration details of ferncliff.org', 'domain.check', { domain: 'ferncliff.org' }),
  item('hey switchboard is brightwater-spa.com still up for grabs?', 'domain.check', { domain: 'brightwater-spa.com' }),
  item('zürich-velo.ch available?', 'domain.check', { domain: 'xn--zrich-velo-9db.ch' }),
  item('domain free? ortizlaw.com', 'domain.check', { domain: 'ortizlaw.com' }),
  item('whats the status of greyhavenhotel.ie, is it registered', 'domain.check', { domain: 'greyhavenhotel.ie' }),
  item('can you find out who the registrar for tandemcycles.fr is', 'domain.check', { domain: 'tandemcycles.fr' }),
  item("um so the new client wants nordlicht.se, can you check if that's available before the call", 'domain.check', { domain: 'nordlicht.se' }),
  item('is www.marigoldcafe.co available', 'domain.check', { domain: 'marigoldcafe.co' }),
  item('check availability', 'domain.check'),
  item('i need to know if stonebridgevets.co.nz is taken', 'domain.check', { domain: 'stonebridgevets.co.nz' }),
  item('is https://atlasfitness.fitness free to register', 'domain.check', { domain: 'atlasfitness.fitness' }),
  item('what would pebblecreek.studio cost us and is it free', 'domain.check', { domain: 'pebblecreek.studio' }),
  item('who owns copperleaf.agency and when does it expire', 'domain.check', { domain: 'copperleaf.agency' }),
  item('is hollowtree dot com taken', 'domain.check', { domain: 'hollowtree.com' }),
  item('can we get tidemark.io or is it gone', 'domain.check', { domain: 'tidemark.io' }),
  item('Is café-olé.fr still unregistered?', 'domain.check', { domain: 'xn--caf-ol-dvad.fr' }),

  // --- domain.register ---
  item('register harbourfield.co.uk', 'domain.register', { domain: 'harbourfield.co.uk' }),
  item('buy brambleandrye.com for 2 years', 'domain.register', { domain: 'brambleandrye.com', years: 2 }),
  item('ok go ahead and purchase tallpinesdental.com, client signed off the budget', 'domain.register', { domain: 'tallpinesdental.com' }),
  item('grab northlightstudio.io for three years before someone else does', 'domain.register', { domain: 'northlightstudio.io', years: 3 }),
  item('pls register quillandink.co for 1 yr', 'domain.register', { domain: 'quillandink.co', years: 1 }),
  item('we need veridian-health.com registered today', 'domain.register', { domain: 'veridian-health.com' }),
  item('buy oakwoodlegal.com.au on our porkbun account', 'domain.register', { domain: 'oakwoodlegal.com.au' }),
  item('register lumenbakery.de for five years', 'domain.register', { domain: 'lumenbakery.de', years: 5 }),
  item('can you buy saltmarshsurf.com for the client, 2yrs', 'domain.register', { domain: 'saltmarshsurf.com', years: 2 }),
  item('purchase the domain kettleandcrumb.co.uk', 'domain.register', { domain: 'kettleandcrumb.co.uk' }),
  item('regster rivetworks.dev', 'domain.register', { domain: 'rivetworks.dev' }),
  item('lets buy moonpath.app now', 'domain.register', { domain: 'moonpath.app' }),
  item('get ferncliff.org registered for ten years', 'domain.register', { domain: 'ferncliff.org', years: 10 }),
  item('secure brightwater-spa.com for us asap', 'domain.register', { domain: 'brightwater-spa.com' }),
  item('i want to buy zürich-velo.ch', 'domain.register', { domain: 'xn--zrich-velo-9db.ch' }),
  item('register the domain ortizlaw.com for 4 years', 'domain.register', { domain: 'ortizlaw.com', years: 4 }),
  item('book greyhavenhotel.ie for a year', 'domain.register', { domain: 'greyhavenhotel.ie', years: 1 }),
  item("it's free so buy it", 'domain.register'),
  item('purchase nordlicht.se, 3 years please', 'domain.register', { domain: 'nordlicht.se', years: 3 }),
  item('register domain', 'domain.register'),
  item('can u register stonebridgevets.co.nz for the vet clinic', 'domain.register', { domain: 'stonebridgevets.co.nz' }),
  item('snag copperleaf.agency before the launch', 'domain.register', { domain: 'copperleaf.agency' }),
  item('go ahead, register hollowtree.com for 2 years', 'domain.register', { domain: 'hollowtree.com', years: 2 }),
  item('please purchase tidemark.io, one year is fine', 'domain.register', { domain: 'tidemark.io', years: 1 }),
  item('buy www.marigoldcafe.co', 'domain.register', { domain: 'marigoldcafe.co' }),
  item('The client approved it, please go ahead and buy atlasfitness.fitness for two years on their behalf', 'domain.register', { domain: 'atlasfitness.fitness', years: 2 }),
  item('register pebblecreek.studio, we will use it for the portfolio', 'domain.register', { domain: 'pebblecreek.studio' }),

  // --- domain.map ---
  item('point harbourfield.co.uk at harbourfield-site', 'domain.map', { domain: 'harbourfield.co.uk' }),
  item('connect shop.kettleandcrumb.co.uk to kettle-shop', 'domain.map', { domain: 'shop.kettleandcrumb.co.uk' }),
  item('make www.brambleandrye.com serve bramble-web', 'domain.map', { domain: 'www.brambleandrye.com' }),
  item('hook tallpinesdental.com up to the tallpines site', 'domain.map', { domain: 'tallpinesdental.com' }),
  item('map portal.veridian-health.com to client-portal', 'domain.map', { domain: 'portal.veridian-health.com' }),
  item('can you set up api.rivetworks.dev as the custom domain for rivet-api', 'domain.map', { domain: 'api.rivetworks.dev' }),
  item('moonpath.app should show the moonpath app, please wire it up', 'domain.map', { domain: 'moonpath.app' }),
  item('put bramble-web on brambleandrye.com in production', 'domain.map', { domain: 'brambleandrye.com' }),
  item('we just bought quillandink.co, attach it to the quill site', 'domain.map', { domain: 'quillandink.co' }),
  item('route staging.harbourfield.co.uk to harbourfield-site staging', 'domain.map', { domain: 'staging.harbourfield.co.uk' }),
  item('use northlightstudio.io for the northlight site', 'domain.map', { domain: 'northlightstudio.io' }),
  item('point the domain to the app', 'domain.map'),
  item('link oakwoodlegal.com.au with the client portal', 'domain.map', { domain: 'oakwoodlegal.com.au' }),
  item('i want lumenbakery.de to open our bakery shop app', 'domain.map', { domain: 'lumenbakery.de' }),
  item('set the custom domain of kettle-shop to kettleandcrumb.co.uk', 'domain.map', { domain: 'kettleandcrumb.co.uk' }),
  item('go live on saltmarshsurf.com with the surf site', 'domain.map', { domain: 'saltmarshsurf.com' }),
  item('mapp ferncliff.org to client-portal', 'domain.map', { domain: 'ferncliff.org' }),
  item('tie brightwater-spa.com to the spa website', 'domain.map', { domain: 'brightwater-spa.com' }),
  item('make the bakery shop reachable on shop.lumenbakery.de', 'domain.map', { domain: 'shop.lumenbakery.de' }),
  item('connect ortizlaw.com to the law firm site we deployed yesterday', 'domain.map', { domain: 'ortizlaw.com' }),
  item('serve rivet-api from api.rivetworks.dev please', 'domain.map', { domain: 'api.rivetworks.dev' }),
  item('add greyhavenhotel.ie as a custom domain on the hotel app', 'domain.map', { domain: 'greyhavenhotel.ie' }),
  item('the client wants tandemcycles.fr pointing at their new site, sort it out', 'domain.map', { domain: 'tandemcycles.fr' }),
  item('map www.nordlicht.se to bramble-web', 'domain.map', { domain: 'www.nordlicht.se' }),
  item('set up docs.rivetworks.dev for the docs app', 'domain.map', { domain: 'docs.rivetworks.dev' }),
  item('can the moonpath app live at app.moonpath.app instead of the vercel url', 'domain.map', { domain: 'app.moonpath.app' }),

  // --- domain.dns.add ---
  item('add an A record for harbourfield.co.uk pointing at 203.0.113.24', 'domain.dns.add', { domain: 'harbourfield.co.uk', recordType: 'A', recordName: '@', recordValue: '203.0.113.24' }),
  item('new cname shop on kettleandcrumb.co.uk -> shops.myshopify.com', 'domain.dns.add', { domain: 'kettleandcrumb.co.uk', recordType: 'CNAME', recordName: 'shop', recordValue: 'shops.myshopify.com' }),
  item('can you add a txt record to brambleandrye.com with v=spf1 include:_spf.google.com ~all', 'domain.dns.add', { domain: 'brambleandrye.com', recordType: 'TXT', recordName: '@', recordValue: 'v=spf1 include:_spf.google.com ~all' }),
  item('add MX for tallpinesdental.com: aspmx.l.google.com priority 1', 'domain.dns.add', { domain: 'tallpinesdental.com', recordType: 'MX', recordName: '@', recordValue: '1 aspmx.l.google.com' }),
  item('put a CNAME www.northlightstudio.io to northlightstudio.github.io', 'domain.dns.add', { domain: 'northlightstudio.io', recordType: 'CNAME', recordName: 'www', recordValue: 'northlightstudio.github.io' }),
  item('add TXT _dmarc on quillandink.co "v=DMARC1; p=quarantine; rua=mailto:dmarc@quillandink.co"', 'domain.dns.add', { domain: 'quillandink.co', recordType: 'TXT', recordName: '_dmarc', recordValue: 'v=DMARC1; p=quarantine; rua=mailto:dmarc@quillandink.co' }),
  item('create an AAAA for veridian-health.com → 2001:db8::42', 'domain.dns.add', { domain: 'veridian-health.com', recordType: 'AAAA', recordName: '@', recordValue: '2001:db8::42' }),
  item('add a record api.rivetworks.dev A 198.51.100.17', 'domain.dns.add', { domain: 'rivetworks.dev', recordType: 'A', recordName: 'api', recordValue: '198.51.100.17' }),
  item('we need mx records for moonpath.app, mx1.improvmx.com priority 10', 'domain.dns.add', { domain: 'moonpath.app', recordType: 'MX', recordName: '@', recordValue: '10 mx1.improvmx.com' }),
  item('add google-site-verification=Xk29fjq0LmP as a txt on ferncliff.org', 'domain.dns.add', { domain: 'ferncliff.org', recordType: 'TXT', recordName: '@', recordValue: 'google-site-verification=Xk29fjq0LmP' }),
  item('cname blog.brightwater-spa.com to brightwater.ghost.io please', 'domain.dns.add', { domain: 'brightwater-spa.com', recordType: 'CNAME', recordName: 'blog', recordValue: 'brightwater.ghost.io' }),
  item('add an a record: name www, value 192.0.2.80, domain ortizlaw.com', 'domain.dns.add', { domain: 'ortizlaw.com', recordType: 'A', recordName: 'www', recordValue: '192.0.2.80' }),
  item('set up a wildcard *.rivetworks.dev pointing to 203.0.113.99', 'domain.dns.add', { domain: 'rivetworks.dev', recordType: 'A', recordName: '*', recordValue: '203.0.113.99' }),
  item('add the mailchimp dkim: cname k1._domainkey.greyhavenhotel.ie to dkim.mcsv.net', 'domain.dns.add', { domain: 'greyhavenhotel.ie', recordType: 'CNAME', recordName: 'k1._domainkey', recordValue: 'dkim.mcsv.net' }),
  item('txt record for tandemcycles.fr, value "stripe-verification=9f8e7d6c"', 'domain.dns.add', { domain: 'tandemcycles.fr', recordType: 'TXT', recordName: '@', recordValue: 'stripe-verification=9f8e7d6c' }),
  item('add caa 0 issue letsencrypt.org to nordlicht.se', 'domain.dns.add', { domain: 'nordlicht.se', recordType: 'CAA', recordName: '@', recordValue: '0 issue "letsencrypt.org"' }),
  item('new A record staging.kettleandcrumb.co.uk 203.0.113.61', 'domain.dns.add', { domain: 'kettleandcrumb.co.uk', recordType: 'A', recordName: 'staging', recordValue: '203.0.113.61' }),
  item('pls add a cname for www on stonebridgevets.co.nz pointing at stonebridgevets.netlify.app', 'domain.dns.add', { domain: 'stonebridgevets.co.nz', recordType: 'CNAME', recordName: 'www', recordValue: 'stonebridgevets.netlify.app' }),
  item('add an MX record to atlasfitness.fitness, mail.protonmail.ch with priority 10', 'domain.dns.add', { domain: 'atlasfitness.fitness', recordType: 'MX', recordName: '@', recordValue: '10 mail.protonmail.ch' }),
  item('add a second mx on atlasfitness.fitness: mailsec.protonmail.ch prio 20', 'domain.dns.add', { domain: 'atlasfitness.fitness', recordType: 'MX', recordName: '@', recordValue: '20 mailsec.protonmail.ch' }),
  item('add txt "MS=ms48213377" on pebblecreek.studio for the microsoft 365 setup', 'domain.dns.add', { domain: 'pebblecreek.studio', recordType: 'TXT', recordName: '@', recordValue: 'MS=ms48213377' }),
  item('point status.copperleaf.agency to copperleaf.statuspage.io with a cname', 'domain.dns.add', { domain: 'copperleaf.agency', recordType: 'CNAME', recordName: 'status', recordValue: 'copperleaf.statuspage.io' }),
  item('add an A record on hollowtree.com for mail, 198.51.100.5', 'domain.dns.add', { domain: 'hollowtree.com', recordType: 'A', recordName: 'mail', recordValue: '198.51.100.5' }),
  item('create txt record google._domainkey on tidemark.io with v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7', 'domain.dns.add', { domain: 'tidemark.io', recordType: 'TXT', recordName: 'google._domainkey', recordValue: 'v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7' }),
  item('add dns record', 'domain.dns.add'),
  item('add ns records for dev.rivetworks.dev pointing to ns1.digitalocean.com', 'domain.dns.add', { domain: 'rivetworks.dev', recordType: 'NS', recordName: 'dev', recordValue: 'ns1.digitalocean.com' }),
  item('we need the spf for marigoldcafe.co: v=spf1 include:spf.protection.outlook.com -all', 'domain.dns.add', { domain: 'marigoldcafe.co', recordType: 'TXT', recordName: '@', recordValue: 'v=spf1 include:spf.protection.outlook.com -all' }),
  item('add a txt to brightwater-spa.com saying "facebook-domain-verification=q8w7e6r5t4"', 'domain.dns.add', { domain: 'brightwater-spa.com', recordType: 'TXT', recordName: '@', recordValue: 'facebook-domain-verification=q8w7e6r5t4' }),
  item('add an A for shop.lumenbakery.de, 203.0.113.140', 'domain.dns.add', { domain: 'lumenbakery.de', recordType: 'A', recordName: 'shop', recordValue: '203.0.113.140' }),
  item('AAAA record for www.saltmarshsurf.com 2606:4700:3033::6815:1a2b', 'domain.dns.add', { domain: 'saltmarshsurf.com', recordType: 'AAAA', recordName: 'www', recordValue: '2606:4700:3033::6815:1a2b' }),
  item('add cname em4821 on greyhavenhotel.ie → u4821.wl122.sendgrid.net', 'domain.dns.add', { domain: 'greyhavenhotel.ie', recordType: 'CNAME', recordName: 'em4821', recordValue: 'u4821.wl122.sendgrid.net' }),
  item('uh add a cname for shop on kettleandcrumb dot co dot uk pointing to shops dot myshopify dot com', 'domain.dns.add', { domain: 'kettleandcrumb.co.uk', recordType: 'CNAME', recordName: 'shop', recordValue: 'shops.myshopify.com' }),
  item('the zoho mx on oakwoodlegal.com.au: mx.zoho.com.au priority 10, add it', 'domain.dns.add', { domain: 'oakwoodlegal.com.au', recordType: 'MX', recordName: '@', recordValue: '10 mx.zoho.com.au' }),
  item("add txt record _acme-challenge.northlightstudio.io with value 'gfj9XqT4pLm2'", 'domain.dns.add', { domain: 'northlightstudio.io', recordType: 'TXT', recordName: '_acme-challenge', recordValue: 'gfj9XqT4pLm2' }),
  item('on veridian-health.com add a TXT: `v=spf1 mx a ip4:203.0.113.5 ~all`', 'domain.dns.add', { domain: 'veridian-health.com', recordType: 'TXT', recordName: '@', recordValue: 'v=spf1 mx a ip4:203.0.113.5 ~all' }),
  item('create a srv record _sip._tls on ortizlaw.com: 100 1 443 sipdir.online.lync.com', 'domain.dns.add', { domain: 'ortizlaw.com', recordType: 'SRV', recordName: '_sip._tls', recordValue: '100 1 443 sipdir.online.lync.com' }),
  item('add an A record for the root of tandemcycles.fr to 192.0.2.15', 'domain.dns.add', { domain: 'tandemcycles.fr', recordType: 'A', recordName: '@', recordValue: '192.0.2.15' }),
  item('please add @ A 203.0.113.7 on nordlicht.se', 'domain.dns.add', { domain: 'nordlicht.se', recordType: 'A', recordName: '@', recordValue: '203.0.113.7' }),
  item('add the apple txt on moonpath.app: apple-domain-verification=Hx72KdLq', 'domain.dns.add', { domain: 'moonpath.app', recordType: 'TXT', recordName: '@', recordValue: 'apple-domain-verification=Hx72KdLq' }),
  item('put in a cname from links.quillandink.co to custom.bnc.lt', 'domain.dns.add', { domain: 'quillandink.co', recordType: 'CNAME', recordName: 'links', recordValue: 'custom.bnc.lt' }),
  item('add A rec ftp.ferncliff.org 198.51.100.33', 'domain.dns.add', { domain: 'ferncliff.org', recordType: 'A', recordName: 'ftp', recordValue: '198.51.100.33' }),
  item('add a TXT record named verify on pebblecreek.studio with value "hello world 123"', 'domain.dns.add', { domain: 'pebblecreek.studio', recordType: 'TXT', recordName: 'verify', recordValue: 'hello world 123' }),
  item('ns delegation: add NS for sub.tidemark.io → dana.ns.cloudflare.com', 'domain.dns.add', { domain: 'tidemark.io', recordType: 'NS', recordName: 'sub', recordValue: 'dana.ns.cloudflare.com' }),
  item('add caa for copperleaf.agency: 0 issuewild "sectigo.com"', 'domain.dns.add', { domain: 'copperleaf.agency', recordType: 'CAA', recordName: '@', recordValue: '0 issuewild "sectigo.com"' }),
  item('Hi, could you please add the following record to harbourfield.co.uk: type TXT, host _github-pages-challenge-harbourfield, value 4f1c2a9e7b', 'domain.dns.add', { domain: 'harbourfield.co.uk', recordType: 'TXT', recordName: '_github-pages-challenge-harbourfield', recordValue: '4f1c2a9e7b' }),

  // --- domain.dns.delete ---
  item('delete the www cname on northlightstudio.io', 'domain.dns.delete', { domain: 'northlightstudio.io', recordType: 'CNAME', recordName: 'www' }),
  item('remove the A record for staging.kettleandcrumb.co.uk', 'domain.dns.delete', { domain: 'kettleandcrumb.co.uk', recordType: 'A', recordName: 'staging' }),
  item('get rid of the old spf txt on brambleandrye.com', 'domain.dns.delete', { domain: 'brambleandrye.com', recordType: 'TXT', recordName: '@' }),
  item('drop the mx records from tallpinesdental.com', 'domain.dns.delete', { domain: 'tallpinesdental.com', recordType: 'MX', recordName: '@' }),
  item('delete the _dmarc txt from quillandink.co', 'domain.dns.delete', { domain: 'quillandink.co', recordType: 'TXT', recordName: '_dmarc' }),
  item('remove cname blog.brightwater-spa.com', 'domain.dns.delete', { domain: 'brightwater-spa.com', recordType: 'CNAME', recordName: 'blog' }),
  item('delete the A record @ on ortizlaw.com', 'domain.dns.delete', { domain: 'ortizlaw.com', recordType: 'A', recordName: '@' }),
  item('kill the AAAA on www.saltmarshsurf.com', 'domain.dns.delete', { domain: 'saltmarshsurf.com', recordType: 'AAAA', recordName: 'www' }),
  item('remove the txt google-site-verification=Xk29fjq0LmP from ferncliff.org', 'domain.dns.delete', { domain: 'ferncliff.org', recordType: 'TXT', recordName: '@', recordValue: 'google-site-verification=Xk29fjq0LmP' }),
  item('delete dns record', 'domain.dns.delete'),
  item('remove the wildcard record *.rivetworks.dev', 'domain.dns.delete', { domain: 'rivetworks.dev', recordName: '*' }),
  item('delete the mx mx2.improvmx.com on moonpath.app', 'domain.dns.delete', { domain: 'moonpath.app', recordType: 'MX', recordName: '@', recordValue: 'mx2.improvmx.com' }),
  item('pls remove the A record api.rivetworks.dev pointing to 198.51.100.17', 'domain.dns.delete', { domain: 'rivetworks.dev', recordType: 'A', recordName: 'api', recordValue: '198.51.100.17' }),
  item('delte the cname for shop on kettleandcrumb.co.uk', 'domain.dns.delete', { domain: 'kettleandcrumb.co.uk', recordType: 'CNAME', recordName: 'shop' }),
  item('the mailchimp dkim on greyhavenhotel.ie can go, delete k1._domainkey', 'domain.dns.delete', { domain: 'greyhavenhotel.ie', recordName: 'k1._domainkey' }),
  item('remove the caa record from nordlicht.se', 'domain.dns.delete', { domain: 'nordlicht.se', recordType: 'CAA', recordName: '@' }),
  item('delete the ns delegation for dev.rivetworks.dev', 'domain.dns.delete', { domain: 'rivetworks.dev', recordType: 'NS', recordName: 'dev' }),
  item('remove the srv record _sip._tls from ortizlaw.com', 'domain.dns.delete', { domain: 'ortizlaw.com', recordType: 'SRV', recordName: '_sip._tls' }),
  item('clear out the A record for ftp on ferncliff.org', 'domain.dns.delete', { domain: 'ferncliff.org', recordType: 'A', recordName: 'ftp' }),
  item("we don't use sendgrid anymore, delete cname em4821 on greyhavenhotel.ie", 'domain.dns.delete', { domain: 'greyhavenhotel.ie', recordType: 'CNAME', recordName: 'em4821' }),
  item('delete www from stonebridgevets.co.nz', 'domain.dns.delete', { domain: 'stonebridgevets.co.nz', recordName: 'www' }),
  item('remove the root A record on tandemcycles.fr', 'domain.dns.delete', { domain: 'tandemcycles.fr', recordType: 'A', recordName: '@' }),
  item('take the txt record off _acme-challenge.northlightstudio.io', 'domain.dns.delete', { domain: 'northlightstudio.io', recordType: 'TXT', recordName: '_acme-challenge' }),
  item('remove the 203.0.113.24 A record from harbourfield.co.uk', 'domain.dns.delete', { domain: 'harbourfield.co.uk', recordType: 'A', recordName: '@', recordValue: '203.0.113.24' }),
  item('delete the mx record pointing to aspmx.l.google.com on tallpinesdental.com', 'domain.dns.delete', { domain: 'tallpinesdental.com', recordType: 'MX', recordName: '@', recordValue: 'aspmx.l.google.com' }),
  item('remove the old facebook verification txt from brightwater-spa.com', 'domain.dns.delete', { domain: 'brightwater-spa.com', recordType: 'TXT', recordName: '@' }),
  item('remove dns entry links.quillandink.co', 'domain.dns.delete', { domain: 'quillandink.co', recordName: 'links' }),
  item('delete the AAAA record for veridian-health.com', 'domain.dns.delete', { domain: 'veridian-health.com', recordType: 'AAAA', recordName: '@' }),
  item('get rid of the cname status on copperleaf.agency', 'domain.dns.delete', { domain: 'copperleaf.agency', recordType: 'CNAME', recordName: 'status' }),
  item('remove the A records for mail.hollowtree.com', 'domain.dns.delete', { domain: 'hollowtree.com', recordType: 'A', recordName: 'mail' }),
  item('delete record type TXT name @ on atlasfitness.fitness', 'domain.dns.delete', { domain: 'atlasfitness.fitness', recordType: 'TXT', recordName: '@' }),
  item('erase the www A record from lumenbakery.de', 'domain.dns.delete', { domain: 'lumenbakery.de', recordType: 'A', recordName: 'www' }),
  item('the old server is decommissioned so the A record for legacy.veridian-health.com needs to go', 'domain.dns.delete', { domain: 'veridian-health.com', recordType: 'A', recordName: 'legacy' }),
  item('remove the txt "MS=ms48213377" from pebblecreek.studio, we moved off microsoft', 'domain.dns.delete', { domain: 'pebblecreek.studio', recordType: 'TXT', recordName: '@', recordValue: 'MS=ms48213377' }),

  // --- domain.verify ---
  item('verify harbourfield.co.uk', 'domain.verify', { domain: 'harbourfield.co.uk' }),
  item('is brambleandrye.com verified yet?', 'domain.verify', { domain: 'brambleandrye.com' }),
  item('i added the TXT at godaddy, can you check tallpinesdental.com verification now', 'domain.verify', { domain: 'tallpinesdental.com' }),
  item('run the ownership check on northlightstudio.io again', 'domain.verify', { domain: 'northlightstudio.io' }),
  item("why isn't quillandink.co verified, it's been an hour", 'domain.verify', { domain: 'quillandink.co' }),
  item('what record do I need to add to verify veridian-health.com', 'domain.verify', { domain: 'veridian-health.com' }),
  item('confirm we control oakwoodlegal.com.au', 'domain.verify', { domain: 'oakwoodlegal.com.au' }),
  item('recheck lumenbakery.de please, the dns should be there now', 'domain.verify', { domain: 'lumenbakery.de' }),
  item('has saltmarshsurf.com passed verification', 'domain.verify', { domain: 'saltmarshsurf.com' }),
  item('verify domain', 'domain.verify'),
  item('kick off verification for shop.kettleandcrumb.co.uk', 'domain.verify', { domain: 'shop.kettleandcrumb.co.uk' }),
  item('verfiy rivetworks.dev', 'domain.verify', { domain: 'rivetworks.dev' }),
  item('check if the verification txt on moonpath.app has propagated', 'domain.verify', { domain: 'moonpath.app' }),
  item('is the ferncliff.org ownership token live', 'domain.verify', { domain: 'ferncliff.org' }),
  item('the client says the txt record is in, verify brightwater-spa.com', 'domain.verify', { domain: 'brightwater-spa.com' }),
  item('try the domain verification for ortizlaw.com one more time', 'domain.verify', { domain: 'ortizlaw.com' }),
  item('is greyhavenhotel.ie still pending verification', 'domain.verify', { domain: 'greyhavenhotel.ie' }),
  item('give me the txt value to prove we own tandemcycles.fr', 'domain.verify', { domain: 'tandemcycles.fr' }),
  item('did nordlicht.se verify ok', 'domain.verify', { domain: 'nordlicht.se' }),
  item('verify ownership of portal.veridian-health.com', 'domain.verify', { domain: 'portal.veridian-health.com' }),
  item('can you validate stonebridgevets.co.nz now, txt is added', 'domain.verify', { domain: 'stonebridgevets.co.nz' }),
  item("what's missing for atlasfitness.fitness to be verified", 'domain.verify', { domain: 'atlasfitness.fitness' }),
  item('uh verify hollowtree dot com please', 'domain.verify', { domain: 'hollowtree.com' }),
  item('is the mapping of copperleaf.agency verified or still waiting on dns', 'domain.verify', { domain: 'copperleaf.agency' }),
  item('re-run verification on tidemark.io', 'domain.verify', { domain: 'tidemark.io' }),
  item('Morning! The registrar finally saved our TXT for www.marigoldcafe.co, can you verify it now?', 'domain.verify', { domain: 'www.marigoldcafe.co' }),

  // --- near misses: other intents that talk about domains and DNS ---
  item('remind me to renew harbourfield.co.uk next month', 'task.create'),
  item('how do I connect my own domain to the website you built for us?', 'knowledge.ask'),
  item('deploy bramble-web to production', 'deploy.create'),
  item("what's the status of the kettle-shop deploy", 'deploy.status'),
  item('new lead: Tom Baker from Harbourfield, tom@harbourfield.co.uk', 'crm.lead.create'),
  item('do you guys sell domains?', 'knowledge.ask'),
  item('task for priya: update the dns docs by friday', 'task.create'),
  item('notify me when a domain gets verified', 'notify.subscribe'),
  item('how much does a .com cost with you', 'knowledge.ask'),
  item('cancel', 'cancel'),
  item('what can you do with domains?', 'help'),
  item("what's the weather in lisbon tomorrow", 'out_of_scope'),
  item('who is our contact at Harbourfield', 'crm.contact.find'),
  item('hey there', 'greeting'),
  item("what's our policy on renewing clients' domains?", 'knowledge.ask'),
  item('roll back tallpines-site on production', 'deploy.rollback'),
  item('build rivet-api from main', 'build.start'),
  item('remind bob to check the dns records tomorrow at 10', 'task.create'),
  item('tell me a joke about dns', 'out_of_scope'),
  item('let me know in telegram when the domain is verified', 'notify.subscribe'),
];

/** The set measured: intent over every line, the five domain slots over the domain intents. */
export async function measureDomains(understander: Understander, items: readonly SetItem[] = DOMAIN_SET): Promise<SetFigures<DomainSlot>> {
  return measureSet(understander, items, {
    intents: DOMAIN_INTENTS,
    slots: DOMAIN_SLOTS,
    context: { now: Date.parse('2026-12-05T10:00:00Z'), timezone: 'Europe/London', apps: DOMAIN_SET_APPS },
  });
}
