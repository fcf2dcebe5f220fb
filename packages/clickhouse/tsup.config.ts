import { packageBuild } from '../../tsup.base';

// `./settings` is an entry of its own (checking connection settings loads no client); split, so that both
// entries share one copy of the settings and their error class.
export default packageBuild({ entry: ['src/index.ts', 'src/settings.ts'], splitting: true });
