export { searchModels } from './listSearch';
export { getModelArguments } from './resourceMapping';
export { getMediaArguments } from './loadOptions';
