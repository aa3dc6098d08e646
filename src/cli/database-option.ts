// The --database option of the commands that use the register (serve, batch, letter, register, campaign).

export const DATABASE_HELP =
  '登记簿所在的数据库：postgres://用户@主机:端口/库名 用 PostgreSQL（全市共用一个；口令不写在命令行上，放在环境变量 PGPASSWORD 中），' +
  'SQLite 文件路径用该文件（默认：环境变量 HAZARD_NOTICE_DATABASE，否则数据目录中的 register.sqlite）；留存的告知单文件仍在数据目录';
