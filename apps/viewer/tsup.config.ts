import { packageBuild } from '../../tsup.base';

export default packageBuild({ entry: ['src/main.ts', 'src/healthcheck.ts'], format: ['esm'], dts: false });
