/** The sidebar of a provider, in order; `path` is the segment after `/:provider/`. */
export const sections = [
  { path: 'pipelines', label: 'Pipelines' },
  { path: 'deployments', label: 'Deployments' },
  { path: 'projects', label: 'Projects' },
  { path: 'templates', label: 'Templates' },
  { path: 'cloud-environments', label: 'Cloud environments' },
] as const;
