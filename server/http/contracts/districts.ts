// Contracts of the customs district tree: the districts a user sees, and a supervisor adding an office.
import { z } from 'zod';
import { DistrictCode, Timestamp, defineRoute } from '../contract';

const Code4 = z.string().regex(/^[0-9]{4}$/, '4 digits (关区代码)');
const Name = (what: string) => z.string().trim().min(1, `${what}: 1–60 characters`).max(60, `${what}: 1–60 characters`);

export const AddOfficeBody = z.strictObject({
  code: Code4,
  nameZh: Name('nameZh'),
  nameEn: Name('nameEn'),
  parent: Code4,
});

export const DistrictOut = z.object({
  code: DistrictCode,
  nameZh: z.string(),
  nameEn: z.string(),
  level: z.enum(['hq', 'direct', 'office']),
  parent: DistrictCode.nullable(),
  hasArea: z.boolean().meta({ description: 'whether a drawn polygon is stored (the seeded tree and added offices have none)' }),
});

export const listDistricts = defineRoute({
  method: 'get',
  path: '/api/districts',
  tag: 'map',
  summary: { zh: '关区树', en: 'Customs district tree' },
  description: 'The districts the user sees (HQ all; a direct customs itself and its offices; an office itself), parents before children.',
  access: { session: 'viewer' },
  responses: {
    200: z.object({
      districts: z.array(DistrictOut.extend({ changedBy: z.string().nullable().meta({ description: 'who made the last audited change' }), changedAt: Timestamp.nullable() })),
    }),
  },
});

export const addOffice = defineRoute({
  method: 'post',
  path: '/api/districts',
  tag: 'map',
  summary: { zh: '新增隶属海关', en: 'Add an office' },
  description: 'A supervisor adds an office (隶属海关) under a direct customs within their jurisdiction, its code starting with the parent’s two digits (audited).',
  access: { session: 'supervisor' },
  body: AddOfficeBody,
  responses: { 201: DistrictOut.meta({ description: 'created' }) },
  errors: { 409: 'the code is already a district' },
});
