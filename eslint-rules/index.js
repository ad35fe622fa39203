/** SEN Lab's own ESLint rules (plugin `sen`): the layer rules and the import-cycle rule. */
import layers from './layers.js';
import noCycle from './no-cycle.js';

export default { meta: { name: 'sen' }, rules: { layers, 'no-cycle': noCycle } };
