// One hit of the console's search (GET /api/search): a movement, or a carrier with no open one.
export interface SearchHit {
  kind: 'consignment' | 'asset';
  id: number;
  title: string;
  subtitle: string | null;
  status: string | null;
  assetId: number;
  assetKind: 'vehicle' | 'vessel';
}
