import { EmbeddedSearchIndex } from '../../server/data/search/embedded-index'
import { searchIndexContract } from './search-index.contract'

searchIndexContract('embedded', async () => new EmbeddedSearchIndex())
