import { packageBuild } from '../../tsup.base';

export default packageBuild({ entry: ['src/index.ts', 'src/internal.ts', 'src/worker.ts'] });
