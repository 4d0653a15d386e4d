// The sections of /admin, in the order the sub-navigation shows them. One list, read by the
// navigation and the /admin index, so a new section is added here once.
export interface AdminSection {
  href: string;
  zh: string;
  en: string;
  /** One line on the index page. */
  about: string;
}

export const ADMIN_SECTIONS: AdminSection[] = [
  { href: '/admin/routes', zh: '路线', en: 'Routes', about: '在地图上绘制核准路线、走廊宽度、起止场所与有效期、规则阈值;导入导出 GeoJSON / KML' },
  { href: '/admin/sites', zh: '场所与区域', en: 'Sites & zones', about: '绘制监管场所与限制区域的多边形' },
  { href: '/admin/devices', zh: '车辆与终端', en: 'Vehicles & devices', about: '登记 JT/T 808 终端与 OsmAnd 设备,查看鉴权状态与最后联络' },
  { href: '/admin/users', zh: '用户', en: 'Users', about: '在本关区内创建、停用、重置用户' },
  { href: '/admin/districts', zh: '关区', en: 'Districts', about: '关区树;新增隶属海关' },
  { href: '/admin/kiosk', zh: '大屏令牌', en: 'Kiosk tokens', about: '签发、查看、吊销监控大屏令牌' },
  { href: '/admin/audit', zh: '审计日志', en: 'Audit log', about: '按用户、操作、对象、时间筛选;导出 CSV' },
  { href: '/admin/federation', zh: '全国联网', en: 'Federation', about: '下级关区的转发链路、来源关区的运输与告警、账本核验(总署)' },
  { href: '/admin/webhooks', zh: 'Webhook', en: 'Webhooks', about: '向外部系统推送告警与运输事件' },
];
