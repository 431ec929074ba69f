# Switchboard service image. The TypeScript sources are compiled once, below, into the build cache that
# bin/switchboard.js starts from (bin/compiled-entry.js); tsx runs them directly only if that cache is unusable.
FROM node:20-bookworm-slim

# ffmpeg decodes M4A/WebM/MP3 voice notes (OGG/Opus is decoded in process); git checks out apps for the local build provider.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg git ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
# whatsapp-web.js (optional) brings puppeteer: never download a browser at install; WhatsApp Web, if
# enabled, uses Debian's chromium (apt-get install chromium and set PUPPETEER_EXECUTABLE_PATH).
ENV PUPPETEER_SKIP_DOWNLOAD=true
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# Builds node_modules/.cache/switchboard/<key>/ (esbuild, about a second) while the tree is writable, so the
# container, which runs as `node` and cannot write /app, starts from the compiled CLI. `--help` reads no
# settings and opens nothing; the key matches at run time because the files keep their mtimes in the image.
RUN node bin/switchboard.js --help > /dev/null \
 && ls node_modules/.cache/switchboard/*/build-complete.json > /dev/null
# The embedded database's template (store/durable/embedded-template.ts): one throw-away database is made
# here by initdb, which leaves the template beside the build, so a container's first start with a new
# /data copies it (0.7 s) instead of running initdb (3.5 s).
RUN DATA_DIR=/tmp/switchboard-template node bin/switchboard.js audit verify > /dev/null \
 && rm -rf /tmp/switchboard-template \
 && ls node_modules/.cache/switchboard/pglite-template-*.tar > /dev/null

ENV HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 3000
USER node
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/switchboard.js", "serve"]
