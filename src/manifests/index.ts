export { parseManifests, type ManifestFile, type ParsedManifests } from './parse';
