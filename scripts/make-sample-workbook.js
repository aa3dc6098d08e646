#!/usr/bin/env node
// Writes examples/sample-employers.xlsx: a small, fictional 柳州 list of employers that have not declared,
// laid out as county staff receive it (title row, usual headers). Run after `npm run build`.
'use strict';
const path = require('node:path');
const ExcelJS = require('exceljs');
const { usccCheckCharacter } = require('../dist/input/uscc');

// [单位名称, 行业代码, 行业名称, 区县, 乡镇（街道）, 地址, 劳动者人数, 危害因素]
const EMPLOYERS = [
  ['柳州市鹿寨红岩水泥有限公司', 'C3011', '水泥制造', '鹿寨县', '鹿寨镇', '飞鹿大道88号', 320, ''],
  ['柳州市融昇家具制造有限公司', 'C2110', '木质家具制造', '柳城县', '大埔镇', '工业园区木业路6号', 85, ''],
  ['柳州龙城汽车零部件有限公司', 'C3670', '汽车零部件及配件制造', '柳江区', '拉堡镇', '柳堡路118号', 260, ''],
  ['柳州市鑫犇特钢制品有限公司', 'C3130', '钢压延加工', '柳北区', '沙塘镇', '钢城路9号', 140, ''],
  ['广西柳城甘蔗糖业有限责任公司', 'C1340', '制糖业', '柳城县', '东泉镇', '东泉糖厂路1号', 410, ''],
  ['柳州市三江侗乡石材加工厂', 'C3032', '建筑用石加工', '三江侗族自治县', '古宜镇', '石料场路3号', 18, ''],
  ['柳州市喆华印务有限公司', 'C2311', '书、报刊印刷', '城中区', '公园街道', '文昌路15号', 42, '苯,甲苯'],
  ['柳州市鱼峰鞋业有限公司', 'C1951', '纺织面料鞋制造', '鱼峰区', '白沙镇', '白沙工业区2号', 95, ''],
  ['融安县堃泰建筑工程有限公司', 'E4710', '住宅房屋建筑', '融安县', '长安镇', '长安大道201号', 60, ''],
  ['柳州市柳南区宏达汽车修理厂', 'O8111', '汽车修理与维护', '柳南区', '河西街道', '航岭路22号', 12, ''],
  ['融水苗族自治县镕昌金属结构有限公司', 'C3311', '金属结构制造', '融水苗族自治县', '融水镇', '寿星路7号', 36, ''],
  ['鹿寨县平山铅锌矿业有限公司', 'B0912', '铅锌矿采选', '鹿寨县', '平山镇', '矿区路1号', 150, ''],
  ['柳州市珺瑞电子电路有限公司', 'C3982', '电子电路制造', '柳北区', '长塘镇', '创业路66号', 230, ''],
  ['柳州市柳江区昇达化工有限公司', 'C2662', '专项化学用品制造', '柳江区', '穿山镇', '化工园区5号', 70, ''],
  ['柳州市城中区仁爱医院', 'Q8411', '综合医院', '城中区', '中南街道', '解放南路50号', 380, ''],
  ['柳城县太平镇兴隆胶合板厂', 'C2021', '胶合板制造', '柳城县', '太平镇', '太平工业区8号', 55, ''],
  ['柳州市鱼峰区金源铸造有限公司', 'C3391', '黑色金属铸造', '鱼峰区', '里雍镇', '里雍工业园3号', 120, ''],
  ['三江侗族自治县丹洲水电站', 'D4413', '水力发电', '三江侗族自治县', '丹洲镇', '丹洲村', 15, '噪声'],
  ['融安县沙子乡牧丰肉牛养殖场', 'A0311', '牛的饲养', '融安县', '沙子乡', '沙子村', 11, ''],
  ['柳州市柳南区永安表面处理有限公司', 'C3360', '金属表面处理及热处理加工', '柳南区', '太阳村镇', '太阳村工业区12号', 48, ''],
];

async function main() {
  const wb = new ExcelJS.Workbook();
  wb.created = wb.modified = new Date('2026-11-29T00:00:00+08:00');
  const ws = wb.addWorksheet('未申报单位');
  ws.addRow(['柳州市未申报职业病危害项目用人单位名单（样例，单位均为虚构）']);
  ws.addRow([
    '序号',
    '用人单位名称',
    '统一社会信用代码',
    '行业代码',
    '行业名称',
    '所在区县',
    '乡镇（街道）',
    '作业场所地址',
    '劳动者人数',
    '危害因素',
  ]);
  EMPLOYERS.forEach(([name, code, industry, county, township, street, workers, hazards], i) => {
    const first17 = `91450200MA5K${String(1000 + i * 37).padStart(4, '0')}${'ABCDE'[i % 5]}`.slice(0, 17);
    const uscc = first17 + usccCheckCharacter(first17);
    ws.addRow([i + 1, name, uscc, code, industry, county, township, `柳州市${county}${township}${street}`, workers, hazards]);
  });
  ws.getColumn(3).numFmt = '@';
  const out = path.join(__dirname, '..', 'examples', 'sample-employers.xlsx');
  await wb.xlsx.writeFile(out);
  process.stdout.write(`已生成：${out}\n`);
}
main();
