package io.amply.query.fund;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.query.readmodel.ExactSums;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A fund with its balance, money in and money out, as the public and the authorised fund endpoints read it. */
final class FundRows {

    /** Add the WHERE (on {@code f.}) and {@link #ORDER}. */
    static final String SELECT = """
            SELECT f.id, f.organisation_id, f.name, f.type, f.currency, f.status, f.restrictions::text AS restrictions,
                   coalesce(b.balance, 0) AS balance, coalesce(b.incoming, 0) AS incoming, coalesce(b.outgoing, 0) AS outgoing
              FROM funds f LEFT JOIN fund_balances b ON b.fund_id = f.id AND b.organisation_id = f.organisation_id""";
    static final String ORDER = " ORDER BY f.created_at, f.id";

    private FundRows() {
    }

    /** What anyone may see of a fund. */
    static Map<String, Object> publicView(ResultSet rs) throws SQLException {
        Map<String, Object> fund = new LinkedHashMap<>();
        fund.put("id", rs.getString("id"));
        fund.put("name", rs.getString("name"));
        fund.put("type", rs.getString("type"));
        fund.put("restricted", !"general".equals(rs.getString("type")));
        fund.put("currency", rs.getString("currency"));
        fund.put("status", rs.getString("status"));
        fund.put("balance", rs.getLong("balance"));
        fund.put("incoming", ExactSums.of(rs, "incoming"));
        fund.put("outgoing", ExactSums.of(rs, "outgoing"));
        return fund;
    }

    /** What the organisation's members see: the public view with the organisation and the fund's restrictions. */
    static Map<String, Object> memberView(ResultSet rs, ObjectMapper json) throws SQLException {
        Map<String, Object> fund = new LinkedHashMap<>();
        fund.put("id", rs.getString("id"));
        fund.put("organisation_id", rs.getString("organisation_id"));
        fund.putAll(publicView(rs));
        try {
            fund.put("restrictions", json.readTree(rs.getString("restrictions")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("restrictions of fund " + rs.getString("id") + " are not JSON", e);
        }
        return fund;
    }
}
