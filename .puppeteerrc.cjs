/**
 * Puppeteer comes with the optional whatsapp-web.js. Its install script would download a browser;
 * nothing here downloads a browser at install or run time. WhatsApp Web, when enabled, uses Debian's
 * chromium (PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium): see README, "WhatsApp Web".
 */
module.exports = { skipDownload: true };
