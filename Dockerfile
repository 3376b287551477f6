# The modelgate CLI as a container image, for CI jobs that should run it without installing it (set the jobs'
# image to it, MODELGATE_PACKAGE to "" and MODELGATE to "modelgate"). No image is built or published here:
# build your own from the package tarball, into your registry.
#   npm pack modelgate@0.1.0        # or `npm pack` in a checkout
#   docker build --build-arg VERSION=0.1.0 -t registry.example.com/platform/modelgate:0.1.0 .
FROM node:20-slim

ARG VERSION=0.1.0
ENV NODE_ENV=production \
    NO_UPDATE_NOTIFIER=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false

# The package from the tarball only, without dev dependencies; nothing is fetched by name but its dependencies.
COPY modelgate-${VERSION}.tgz /tmp/modelgate.tgz
RUN npm install --global --omit=dev --no-audit /tmp/modelgate.tgz \
 && rm /tmp/modelgate.tgz \
 && npm cache clean --force \
 && modelgate --version

# GitLab runs the job's script as this user in the cloned project.
USER node
WORKDIR /home/node
CMD ["modelgate", "--help"]
