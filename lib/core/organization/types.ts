/**
 * The ACTIVE accounts of an organization, each with the ids that contain it: the organization id first,
 * then its OUs from the root down. Suspended, closing and removed accounts are not in it.
 * @example { organizationId: 'o-a1b2c3d4e5', accounts: { '111122223333': ['o-a1b2c3d4e5', 'ou-ab12-cdef3456'] } }
 */
export interface OrganizationMembership {
  organizationId: string;
  accounts: Readonly<Record<string, readonly string[]>>;
}
