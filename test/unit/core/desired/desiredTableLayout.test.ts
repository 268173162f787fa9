import { describe, expect, it } from 'vitest';
import {
  DesiredItemKind,
  desiredItemKind,
  isConfigurationItem,
  isLearnedOnly,
  isReservedKey,
  isSettingsItem,
  isTemplateItem,
  LEARNED_SOURCE,
  settingsKey,
  templateKey,
} from '../../../../lib/core/desired/desiredTableLayout.js';

describe('desiredTableLayout', () => {
  it('names each kind by its key', () => {
    expect(desiredItemKind('photos', 'daily')).toBe(DesiredItemKind.Configuration);
    expect(desiredItemKind(settingsKey('photos').bucket, settingsKey('photos').id)).toBe(
      DesiredItemKind.Settings,
    );
    expect(desiredItemKind(templateKey('all').bucket, templateKey('all').id)).toBe(DesiredItemKind.Template);
    expect(desiredItemKind('photos', '#status')).toBe(DesiredItemKind.Reserved);
    expect(desiredItemKind('#outbox', 'a1')).toBe(DesiredItemKind.Reserved);
    expect(desiredItemKind(templateKey('#x').bucket, '#x')).toBe(DesiredItemKind.Reserved);
  });

  it('recognises items', () => {
    expect(isTemplateItem(templateKey('all'))).toBe(true);
    expect(isSettingsItem(settingsKey('photos'))).toBe(true);
    expect(isConfigurationItem({ bucket: 'photos', id: 'daily' })).toBe(true);
    expect(isConfigurationItem(settingsKey('photos'))).toBe(false);
    expect(isLearnedOnly({ ...settingsKey('photos'), source: LEARNED_SOURCE })).toBe(true);
    expect(isLearnedOnly({ ...settingsKey('photos'), source: 'file:a.yaml' })).toBe(false);
  });

  it('keeps settings and templates out of the reserved keys that declare nothing', () => {
    expect(isReservedKey('photos', '#bucket')).toBe(false);
    expect(isReservedKey('#templates', 'all')).toBe(false);
    expect(isReservedKey('photos', '#status')).toBe(true);
    expect(isReservedKey('#lease', 'photos')).toBe(true);
  });
});
