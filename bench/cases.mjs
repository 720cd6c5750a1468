// The cases: the action (node dist/index.js, as the runner runs it) and its yardsticks, each side a prepare
// step (untimed: fresh folders, a fresh local image, docker's cache of the image removed) and a command.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { must } from './measure.mjs';
import { freshDir, importImage } from './setup.mjs';

/** A side: its name and what to run for pair `i`. */
const side = (name, prepare) => ({ name, prepare });

export function casesFor(c) {
  const { stack, slow, docker, skopeo, images, id } = c;
  const creds = `${stack.ACTOR}:${stack.TOKEN_GHS_WRITE}`;
  const repo = (name) => `${slow}/${stack.OWNER}/${name}`;
  const skopeoCopy = (from, to, extra = []) => {
    skopeo.clearCache();
    const args = ['copy', '-q', '--src-tls-verify=false', '--dest-tls-verify=false', ...extra, from, to];
    return { argv: skopeo.argv(args), env: skopeo.env };
  };
  const shell = (script) => ({ argv: ['sh', '-c', script], env: docker });
  /** docker pull, tag, push, with the image first removed from the daemon (as on a fresh runner). */
  const dockerRetag = (from, to) => {
    must(['docker', 'rmi', '-f', from, to], { env: docker, stdio: 'ignore' });
    return shell(
      `docker pull -q ${from} >/dev/null && docker tag ${from} ${to} && docker push -q ${to} >/dev/null`,
    );
  };
  const layouts = [];
  const layout = () => {
    for (const dir of layouts.splice(0)) rmSync(dir, { recursive: true, force: true });
    const dir = freshDir(c.work, 'layout-');
    layouts.push(dir);
    return join(dir, 'image');
  };
  const creds2 = ['--src-creds', creds, '--dest-creds', creds];

  return [
    {
      name: 'resolve a tag',
      action: side('action', () => c.action({ command: 'resolve', registry: slow, source: images.small })),
      yardsticks: [
        side('skopeo inspect', () => ({
          argv: skopeo.argv([
            'inspect',
            '--tls-verify=false',
            '--creds',
            creds,
            '--format',
            '{{.Digest}}',
            `docker://${images.small}`,
          ]),
          env: skopeo.env,
        })),
      ],
    },
    {
      name: 'retag in the same repository (promote)',
      action: side('action', (i) =>
        c.action({
          command: 'promote',
          registry: slow,
          source: images.small,
          image: repo(`bench-small-${id}`),
          tags: `a${i}`,
        }),
      ),
      yardsticks: [
        side('skopeo copy', (i) =>
          skopeoCopy(`docker://${images.small}`, `docker://${repo(`bench-small-${id}`)}:s${i}`, creds2),
        ),
        side('docker pull/tag/push', (i) => dockerRetag(images.small, `${repo(`bench-small-${id}`)}:d${i}`)),
      ],
    },
    {
      name: 'promote to another repository, same registry',
      action: side('action', (i) =>
        c.action({
          command: 'promote',
          registry: slow,
          source: images.small,
          image: repo(`bench-copy-${id}-a${i}`),
          tags: 'v1',
        }),
      ),
      yardsticks: [
        side('skopeo copy', (i) =>
          skopeoCopy(`docker://${images.small}`, `docker://${repo(`bench-copy-${id}-s${i}`)}:v1`, creds2),
        ),
        side('docker pull/tag/push', (i) =>
          dockerRetag(images.small, `${repo(`bench-copy-${id}-d${i}`)}:v1`),
        ),
      ],
    },
    {
      name: 'publish a built image with 5 tags',
      action: side('action', (i) => {
        const local = importImage(c.work, docker, `bench-local/pub-${id}-a${i}`, 1);
        const tags = [1, 2, 3, 4, 5].map((n) => `a${i}-${n}`).join(',');
        return c.action({
          command: 'publish',
          registry: slow,
          source: local,
          image: repo(`bench-publish-${id}`),
          tags,
        });
      }),
      yardsticks: [
        side('docker tag+push x5', (i) => {
          const local = importImage(c.work, docker, `bench-local/pub-${id}-d${i}`, 1);
          const target = repo(`bench-publish-${id}`);
          return shell(
            `for n in 1 2 3 4 5; do docker tag ${local} ${target}:d${i}-$n && docker push -q ${target}:d${i}-$n >/dev/null || exit 1; done`,
          );
        }),
      ],
    },
    {
      name: 'pull 100 MiB to an OCI layout',
      action: side('action', () =>
        c.action({
          command: 'pull',
          registry: slow,
          source: images.medium,
          destination: `oci-layout:${layout()}`,
        }),
      ),
      yardsticks: [
        side('skopeo copy oci:', () =>
          skopeoCopy(`docker://${images.medium}`, `oci:${layout()}:v1`, ['--src-creds', creds]),
        ),
      ],
    },
    {
      name: 'cross-registry promote of a 512 MiB layer (loopback)',
      action: side('action', (i) =>
        c.action({
          command: 'promote',
          registry: stack.REGISTRY_TOKEN,
          source: images.big,
          image: `${stack.REGISTRY_TOKEN}/${stack.OWNER}/bench-big-${id}-a${i}`,
          tags: 'v1',
        }),
      ),
      yardsticks: [
        side('skopeo copy', (i) =>
          skopeoCopy(
            `docker://${images.big}`,
            `docker://${stack.REGISTRY_TOKEN}/${stack.OWNER}/bench-big-${id}-s${i}:v1`,
            ['--dest-creds', creds],
          ),
        ),
      ],
    },
  ];
}
