"""The operations the app sends for points, shared by the flow and concurrency tests."""

AWARD = """
mutation Award($input: PointsManualInput!) {
  pointsAward(input: $input) { transfer { id amount enteredByHand kind } errors { code field } }
}"""
DEDUCT = """
mutation Deduct($input: PointsManualInput!) {
  pointsDeduct(input: $input) { transfer { id amount enteredByHand } errors { code field } }
}"""
REVERSE = """
mutation Reverse($input: PointTransferReverseInput!) {
  pointTransferReverse(input: $input) { transfer { id amount kind reverses } errors { code field } }
}"""
REWARD_CREATE = """
mutation RewardCreate($input: RewardCreateInput!) {
  rewardCreate(input: $input) {
    reward { id name cost stock monthlyLimit availableNow }
    errors { code field }
  }
}"""
REDEEM = """
mutation Redeem($input: RewardRedeemInput!) {
  rewardRedeem(input: $input) {
    redemption { id status cost pickupCode pickupQrUrl reward { name stock } }
    balance
    errors { code field }
  }
}"""
CANCEL = """
mutation Cancel($input: RedemptionCancelInput!) {
  redemptionCancel(input: $input) { redemption { id status } balance errors { code field } }
}"""
FULFIL = """
mutation Fulfil($input: RedemptionFulfilInput!) {
  redemptionFulfil(input: $input) { redemption { id status } errors { code field } }
}"""
MY_POINTS = """
query MyPoints($communityId: ID!, $first: Int, $after: String) {
  myPoints(communityId: $communityId) {
    balance
    history(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { amount kind memo source enteredByHand ruleVersion }
    }
  }
}"""
ECONOMY = """
query Economy($communityId: ID!) {
  economySummary(communityId: $communityId) {
    issued redeemed expired outstanding months { month issued redeemed outstanding }
  }
}"""
PENDING = """
query Pending($communityId: ID!) {
  pendingPickups(communityId: $communityId) { totalCount nodes { id status pickupCode reward { name } } }
}"""
CATALOG = """
query Catalog($communityId: ID!) {
  rewardCatalog(communityId: $communityId, first: 10) { totalCount nodes { name cost stock } }
}"""
MY_REDEMPTIONS = """
query Mine($communityId: ID!) {
  myRedemptions(communityId: $communityId, first: 10) { nodes { status cost reward { name } } }
}"""
RULES_UPDATE = """
mutation Rules($input: PointRulesUpdateInput!) {
  pointRulesUpdate(input: $input) {
    rules { version reportValidated dailyCaps { kind points } }
    errors { code field }
  }
}"""
