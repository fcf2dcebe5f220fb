import { packageBuild } from '../../tsup.base';

export default packageBuild({ entry: ['src/main.ts'], format: ['esm'], dts: false });
