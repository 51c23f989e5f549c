/**
 * The sidebar of a provider, in order; `path` is the segment after `/:provider/`, `also` the other segments that
 * belong to the same area (a pipeline run is part of Pipelines, a deployment run of Deployments).
 */
export const sections: readonly { path: string; label: string; also?: readonly string[] }[] = [
  { path: 'pipelines', label: 'Pipelines', also: ['pipeline-runs'] },
  { path: 'deployments', label: 'Deployments', also: ['runs'] },
  { path: 'projects', label: 'Projects' },
  { path: 'templates', label: 'Templates' },
  { path: 'cloud-environments', label: 'Cloud environments' },
];
