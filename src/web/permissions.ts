// What each role may do, checked on the server for every /api route (docs/api.md, 权限). Without accounts there is
// no session and everything is allowed (loopback only, as before). With them:
//   市级管理员: everything, all counties (全市).
//   县区工作人员: reads and issues for their own counties only.
//   执法人员: reads and re-downloads for their own counties; never issues (no letter, no batch).
// A refusal is 403 E_PERMISSION and an audit entry (event denied).

import type { FastifyRequest } from 'fastify';
import { CITY_ROLE, type Accounts } from '../register/accounts';
import { ApiError } from './api-error';
import type { Desk } from './desk';

/** Who may issue letters (single or batch). */
const ISSUING_ROLES = new Set(['市级管理员', '县区工作人员']);

export class Permissions {
  constructor(
    private readonly desk: Desk,
    private readonly accounts: Accounts,
  ) {}

  /** The county codes the request may see; undefined for all (city role, or no accounts). */
  scope(request: FastifyRequest): string[] | undefined {
    const user = request.account?.user;
    return !user || user.role === CITY_ROLE ? undefined : user.counties;
  }

  /** The login of the request's user (undefined without accounts). */
  login(request: FastifyRequest): string | undefined {
    return request.account?.user.login;
  }

  private countyName(code: string): string {
    return this.desk.region.counties.find((c) => c.countyCode === code)?.countyName ?? code;
  }

  /** The request's counties by name (、-separated), for messages. */
  scopeText(request: FastifyRequest): string {
    return (this.scope(request) ?? []).map((c) => this.countyName(c)).join('、');
  }

  /** Refuses (403, audited) with `message`. */
  async deny(request: FastifyRequest, what: string, message: string, detail: Record<string, unknown> = {}): Promise<never> {
    await this.accounts.audit({
      login: this.login(request),
      client: request.ip,
      event: 'denied',
      outcome: 'denied',
      detail: { what, url: request.url.split('?')[0], method: request.method, ...detail },
    });
    throw new ApiError(403, 'E_PERMISSION', message);
  }

  /** Refuses unless every county given is in the request's scope. */
  async requireCounties(request: FastifyRequest, what: string, codes: readonly string[]): Promise<void> {
    const scope = this.scope(request);
    if (!scope) return;
    const outside = [...new Set(codes.filter((c) => !scope.includes(c)))];
    if (outside.length === 0) return;
    await this.deny(
      request,
      what,
      `无权访问${outside.map((c) => this.countyName(c)).join('、')}的${what}：用户“${this.login(request)}”只能访问${this.scopeText(request)}`,
      { counties: outside },
    );
  }

  /** Refuses a role that may not issue letters (执法人员), then checks the counties. */
  async requireIssue(request: FastifyRequest, what: string, codes: readonly string[]): Promise<void> {
    const user = request.account?.user;
    if (user && !ISSUING_ROLES.has(user.role)) {
      await this.deny(request, what, `${user.role}可查看和重新下载告知单，不能出具（${what}）`);
    }
    await this.requireCounties(request, what, codes);
  }

  /** Refuses the whole city (全市) to a county role. */
  async requireCity(request: FastifyRequest, what: string): Promise<void> {
    if (this.scope(request))
      await this.deny(request, what, `全市的${what}只有${CITY_ROLE}可以查看；请选择区县（${this.scopeText(request)}）`);
  }
}
