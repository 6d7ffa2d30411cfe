// The reduced forms of API objects that snapshots keep (cli.md §8.7), and that the gathering
// keeps in memory for big clusters. Pure functions: object in, new object out.
//
// Pod: metadata name, namespace, uid, creationTimestamp, deletionTimestamp, labels,
// ownerReferences and only the kubernetes.io/config.{mirror,hash,source} annotations; spec
// nodeName, resources, initContainers[]/containers[] (name, image, resources, restartPolicy),
// ephemeralContainers[].name; status phase, reason, message, qosClass, startTime,
// containerStatuses[]/initContainerStatuses[] (name, containerID, ready, restartCount, state,
// lastState). apiVersion and kind stay. No env, commands, volumes, secrets or other annotations.
// Absent fields stay absent (no nulls are invented).
//
// Node: everything but metadata.managedFields and status.images.

type Obj = Readonly<Record<string, unknown>>;

const KEPT_ANNOTATIONS = [
  'kubernetes.io/config.mirror',
  'kubernetes.io/config.hash',
  'kubernetes.io/config.source',
];

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The listed keys of `o` that are present, in the listed order. */
function pick(o: unknown, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isObj(o)) return out;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function pickEach(list: unknown, keys: readonly string[]): Record<string, unknown>[] | undefined {
  return Array.isArray(list) ? list.map((item) => pick(item, keys)) : undefined;
}

/** `o` without its undefined values. */
function withDefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function without(o: Obj, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
}

const CONTAINER_FIELDS = ['name', 'image', 'resources', 'restartPolicy'];
const STATUS_FIELDS = ['name', 'containerID', 'ready', 'restartCount', 'state', 'lastState'];

export function reducePod(pod: Obj): Record<string, unknown> {
  const meta = isObj(pod.metadata) ? pod.metadata : {};
  const annotations = isObj(meta.annotations) ? meta.annotations : {};
  const kept = pick(annotations, KEPT_ANNOTATIONS);
  const metadata = withDefined({
    ...pick(meta, [
      'name',
      'namespace',
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'labels',
      'ownerReferences',
    ]),
    annotations: Object.keys(kept).length === 0 ? undefined : kept,
  });
  const specIn = isObj(pod.spec) ? pod.spec : {};
  const spec = withDefined({
    ...pick(specIn, ['nodeName', 'resources']),
    initContainers: pickEach(specIn.initContainers, CONTAINER_FIELDS),
    containers: pickEach(specIn.containers, CONTAINER_FIELDS),
    ephemeralContainers: pickEach(specIn.ephemeralContainers, ['name']),
  });
  const statusIn = isObj(pod.status) ? pod.status : {};
  const status = withDefined({
    ...pick(statusIn, ['phase', 'reason', 'message', 'qosClass', 'startTime']),
    initContainerStatuses: pickEach(statusIn.initContainerStatuses, STATUS_FIELDS),
    containerStatuses: pickEach(statusIn.containerStatuses, STATUS_FIELDS),
  });
  return withDefined({
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata,
    spec,
    status,
  });
}

export function reduceNode(node: Obj): Record<string, unknown> {
  const out: Record<string, unknown> = { ...node };
  if (isObj(node.metadata) && 'managedFields' in node.metadata)
    out.metadata = without(node.metadata, 'managedFields');
  if (isObj(node.status) && 'images' in node.status) out.status = without(node.status, 'images');
  return out;
}
