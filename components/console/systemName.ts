// A customs system's name in a language (新舱单, 智能卡口 …); a system the console has no name for
// is shown by its code.
import type { TFunction } from 'i18next';
import { STORY_SYSTEMS } from '../../lib/linkDocuments';

export function systemName(t: TFunction, system: string): string {
  return (STORY_SYSTEMS as readonly string[]).includes(system) ? t(`linkSystem.${system as (typeof STORY_SYSTEMS)[number]}`) : system;
}
